using System.Text.RegularExpressions;

namespace E2eChat.Tests.Wire;

/// <summary>
/// Only the wire layer (src/E2eChat.Wire) decodes or encodes protobuf varints by hand: every other
/// file of src/ reads and writes relay-visible and stored bytes through its reader and writer (or
/// Google.Protobuf's generated code). This scan catches a hand-written varint loop coming back.
/// </summary>
public sealed partial class VarintDecodingScanTests
{
    [Fact]
    public void SourceOutsideTheWireLayer_DecodesNoVarintByHand()
    {
        string src = FindSrc();
        var offenders = new List<string>();
        foreach (string file in Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(src, file).Replace('\\', '/');
            // The vector generator's ProtoBytes writes deliberately non-canonical encodings (invalid
            // vectors), which no canonical writer may produce; it never reads wire bytes.
            if (relative.StartsWith("E2eChat.Wire/", StringComparison.Ordinal) || relative == "E2eChat.Cli/Vectors/ProtoBytes.cs"
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

    // A 7-bit group mask, a 7-bit shift, or a method named after varints.
    [GeneratedRegex(@"&\s*0x7[Ff]\b|<<\s*\(?\s*7\s*\*|>>=\s*7\b|shift\s*\+=\s*7|\b(Read|Write|Decode|Encode)\w*Varint\w*\s*\(", RegexOptions.CultureInvariant)]
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
