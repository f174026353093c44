namespace E2eChat.Cli.Vectors;

/// <summary>Lowercase hex, the only byte-string encoding of the vector files.</summary>
internal static class Hex
{
    /// <summary>Encodes <paramref name="bytes"/> as lowercase hex.</summary>
    internal static string Encode(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);

    /// <summary>Decodes lowercase hex; anything else (upper case, odd length, other characters) is a format error.</summary>
    internal static byte[] Decode(string hex, string field)
    {
        if (hex.Length % 2 != 0)
        {
            throw new VectorFormatException($"{field}: odd-length hex");
        }

        foreach (char c in hex)
        {
            if (c is not ((>= '0' and <= '9') or (>= 'a' and <= 'f')))
            {
                throw new VectorFormatException($"{field}: not lowercase hex");
            }
        }

        return Convert.FromHexString(hex);
    }

    /// <summary>A short form for messages: the first bytes and the length.</summary>
    internal static string Abbreviate(ReadOnlySpan<byte> bytes) =>
        bytes.Length <= 40 ? Encode(bytes) : $"{Encode(bytes[..32])}… ({bytes.Length} bytes)";
}
