using System.Text.RegularExpressions;

namespace E2eChat.Tests.Wire;

/// <summary>
/// Only the wire layer's reader and writer (src/E2eChat.Wire/ProtoReader.cs and ProtoWriter.cs)
/// decode or encode protobuf varints by hand: every other file of src/, the wire layer's codecs
/// included, reads and writes relay-visible and stored bytes through them (or Google.Protobuf's
/// generated code). This scan catches a hand-written varint loop coming back.
/// </summary>
public sealed partial class VarintDecodingScanTests
{
    [Theory]
    [InlineData("writer.WriteVarintField(field, value);")]
    [InlineData("int length = ProtoWriter.VarintFieldLength(field, value);")]
    [InlineData("EnvelopeFailure failure = reader.ReadUInt64(out ulong value);")]
    public void Pattern_AcceptsCallsIntoTheWireLayer(string code)
    {
        Assert.DoesNotMatch(VarintPattern(), code);
    }

    [Fact]
    public void SourceOutsideTheWireReaderAndWriter_DecodesNoVarintByHand()
    {
        string src = FindSrc();
        var offenders = new List<string>();
        foreach (string file in Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(src, file).Replace('\\', '/');
            // The vector generator's ProtoBytes writes deliberately non-canonical encodings (invalid
            // vectors), which no canonical writer may produce; it never reads wire bytes.
            if (relative is "E2eChat.Wire/ProtoReader.cs" or "E2eChat.Wire/ProtoWriter.cs" || relative == "E2eChat.Cli/Vectors/ProtoBytes.cs"
                || relative.Contains("/obj/", StringComparison.Ordinal) || relative.Contains("/bin/", StringComparison.Ordinal))
            {
                continue;
            }

            string text = File.ReadAllText(file);
            if (VarintPattern().IsMatch(text))
            {
                offenders.Add(relative);
            }
        }

        Assert.Empty(offenders);
    }

    [Theory]
    [InlineData("value |= (ulong)(b & 0x7F) << (7 * i);")]
    [InlineData("if ((b & 0x80) == 0) { return value; } shift += 7;")]
    [InlineData("private static ulong ReadVarint(ReadOnlySpan<byte> input, ref int position)")]
    [InlineData("output[p++] = (byte)((value & 0x7F) | 0x80); value >>= 7;")]
    public void Pattern_RecognisesHandWrittenVarintCode(string code)
    {
        Assert.Matches(VarintPattern(), code);
    }

    // A 7-bit group mask, a 7-bit shift, or a method named after varints (declared or called
    // unqualified; a call on the wire layer's reader or writer, `writer.WriteVarintField(...)`, is fine).
    [GeneratedRegex(@"&\s*0x7[Ff]\b|<<\s*\(?\s*7\s*\*|>>=\s*7\b|shift\s*\+=\s*7|(?<![.\w])(Read|Write|Decode|Encode)\w*Varint\w*\s*\(", RegexOptions.CultureInvariant)]
    private static partial Regex VarintPattern();

    private static string FindSrc()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "src", "E2eChat.Wire");
            if (Directory.Exists(candidate))
            {
                return Path.Combine(dir.FullName, "src");
            }
        }

        throw new DirectoryNotFoundException($"src/ not found above {AppContext.BaseDirectory}");
    }
}
