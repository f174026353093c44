using System.Text;
using System.Text.Unicode;

namespace E2eChat;

/// <summary>The text rules of PROTOCOL.md sections 13-15: strict UTF-8 and Unicode scalar counts.</summary>
internal static class RecordText
{
    /// <summary>UTF-8 that throws on invalid input (lone surrogates in strings, bad bytes when decoding).</summary>
    internal static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Whether <paramref name="bytes"/> is 1..<paramref name="maxBytes"/> bytes of valid UTF-8 (RFC 3629).</summary>
    internal static bool IsValid(ReadOnlySpan<byte> bytes, int maxBytes) =>
        bytes.Length >= 1 && bytes.Length <= maxBytes && Utf8.IsValid(bytes);

    /// <summary>Decodes bytes already checked by <see cref="IsValid"/>.</summary>
    internal static string Decode(ReadOnlySpan<byte> bytes) => Strict.GetString(bytes);

    /// <summary>The number of Unicode scalar values of valid UTF-8.</summary>
    internal static int ScalarCount(ReadOnlySpan<byte> bytes)
    {
        int count = 0;
        foreach (byte b in bytes)
        {
            // Every scalar has exactly one byte that is not a continuation byte (10xxxxxx).
            if ((b & 0xC0) != 0x80)
            {
                count++;
            }
        }

        return count;
    }
}
