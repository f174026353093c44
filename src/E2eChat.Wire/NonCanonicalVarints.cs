namespace E2eChat.Wire;

/// <summary>
/// Varints that break PROTOCOL.md section 8 on purpose, for the refused test vectors: every reader must
/// fail them with <see cref="EnvelopeFailure.MalformedVarint"/> (or <see cref="EnvelopeFailure.Truncated"/>
/// when the input ends inside one). Built here, next to the writer of the canonical form, so no vector
/// generator spells varint bytes out by hand. Nothing in the library writes them.
/// </summary>
internal static class NonCanonicalVarints
{
    /// <summary>The bit of a varint byte that says another byte follows.</summary>
    private const byte Continuation = 0x80;

    /// <summary>The value bits of a varint byte.</summary>
    private const byte ValueBits = 0x7F;

    /// <summary>
    /// <paramref name="value"/> with one byte more than its minimal encoding: the last byte continues,
    /// and a zero byte ends it (rule 2.2: a varint is minimal).
    /// </summary>
    /// <param name="value">The value; its minimal encoding must be shorter than <see cref="ProtoReader.MaxVarintLength"/> bytes.</param>
    /// <returns>The non-minimal encoding.</returns>
    internal static byte[] NotMinimal(ulong value)
    {
        int length = ProtoWriter.VarintLength(value);
        if (length >= ProtoReader.MaxVarintLength)
        {
            throw new ArgumentOutOfRangeException(nameof(value), "The value's minimal encoding leaves no room for another byte.");
        }

        byte[] bytes = new byte[length + 1];
        new ProtoWriter(bytes).WriteVarint(value);
        bytes[length - 1] |= Continuation;
        return bytes;
    }

    /// <summary>
    /// A varint of <see cref="ProtoReader.MaxVarintLength"/> bytes whose value needs 70 bits: nine continuing bytes of all
    /// ones, then a last byte of all ones (rule 2.2: at most 64 bits).
    /// </summary>
    /// <returns>The too long encoding.</returns>
    internal static byte[] TooLong()
    {
        byte[] bytes = new byte[ProtoReader.MaxVarintLength];
        bytes.AsSpan(0, ProtoReader.MaxVarintLength - 1).Fill(Continuation | ValueBits);
        bytes[^1] = ValueBits;
        return bytes;
    }

    /// <summary><paramref name="count"/> bytes that each say another byte follows: a varint the input ends inside.</summary>
    /// <param name="count">How many bytes.</param>
    /// <returns>The unterminated bytes.</returns>
    internal static byte[] Unterminated(int count)
    {
        byte[] bytes = new byte[count];
        bytes.AsSpan().Fill(Continuation);
        return bytes;
    }
}
