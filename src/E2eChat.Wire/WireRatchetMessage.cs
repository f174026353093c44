namespace E2eChat.Wire;

/// <summary>
/// The codec of a <c>RatchetMessage</c> (<c>wire.proto</c>): <c>header</c> (1) 80 bytes and
/// <c>ciphertext</c> (2) a padding bucket plus 16 bytes, both required.
/// </summary>
internal static class WireRatchetMessage
{
    private const int HeaderField = 1;
    private const int CiphertextField = 2;
    private const uint LengthDelimitedFields = (1u << HeaderField) | (1u << CiphertextField);

    private static readonly EnvelopeFailure[] s_required =
        [EnvelopeFailure.None, EnvelopeFailure.InvalidHeaderLength, EnvelopeFailure.InvalidCiphertextLength];

    /// <summary>Validates the ratchet message at <c>envelope[start..end]</c>.</summary>
    /// <param name="envelope">The whole envelope.</param>
    /// <param name="start">Where the message starts.</param>
    /// <param name="end">Where it ends (exclusive).</param>
    /// <param name="ciphertextLength">The ciphertext's length, on success.</param>
    /// <returns><see cref="EnvelopeFailure.None"/> or the first rule broken.</returns>
    internal static EnvelopeFailure Validate(ReadOnlySpan<byte> envelope, int start, int end, out int ciphertextLength)
    {
        EnvelopeFailure failure = Read(envelope, start, end, out RatchetMessageView view);
        ciphertextLength = failure == EnvelopeFailure.None ? view.Ciphertext.End.Value - view.Ciphertext.Start.Value : 0;
        return failure;
    }

    /// <summary>Reads a whole buffer as a ratchet message; never throws.</summary>
    /// <param name="message">The encoded message.</param>
    /// <param name="view">On success, where its fields are in <paramref name="message"/>.</param>
    /// <param name="failure">On failure, the first rule broken; otherwise <see cref="EnvelopeFailure.None"/>.</param>
    /// <returns><see langword="true"/> when the message is valid.</returns>
    internal static bool TryRead(ReadOnlySpan<byte> message, out RatchetMessageView view, out EnvelopeFailure failure)
    {
        failure = Read(message, 0, message.Length, out view);
        return failure == EnvelopeFailure.None;
    }

    /// <summary>The encoded length of a ratchet message.</summary>
    /// <param name="headerLength">The header's length.</param>
    /// <param name="ciphertextLength">The ciphertext's length.</param>
    /// <returns>The length in bytes.</returns>
    internal static int GetEncodedLength(int headerLength, int ciphertextLength) =>
        checked(ProtoWriter.BytesFieldLength(HeaderField, headerLength) + ProtoWriter.BytesFieldLength(CiphertextField, ciphertextLength));

    /// <summary>Writes the canonical encoding of a ratchet message.</summary>
    /// <param name="header">The 80-byte encrypted header.</param>
    /// <param name="ciphertext">The ciphertext.</param>
    /// <param name="output">Exactly <see cref="GetEncodedLength"/> bytes.</param>
    internal static void Write(ReadOnlySpan<byte> header, ReadOnlySpan<byte> ciphertext, Span<byte> output)
    {
        var writer = new ProtoWriter(output);
        writer.WriteBytesField(HeaderField, header);
        writer.WriteBytesField(CiphertextField, ciphertext);
    }

    /// <summary>Writes the canonical encoding of a ratchet message into a new array.</summary>
    /// <param name="header">The 80-byte encrypted header.</param>
    /// <param name="ciphertext">The ciphertext.</param>
    /// <returns>The encoded message.</returns>
    internal static byte[] Write(ReadOnlySpan<byte> header, ReadOnlySpan<byte> ciphertext)
    {
        byte[] encoded = new byte[GetEncodedLength(header.Length, ciphertext.Length)];
        Write(header, ciphertext, encoded);
        return encoded;
    }

    /// <summary>
    /// Reads the ratchet message at <c>envelope[start..end]</c> and locates its two fields, for a
    /// client that decrypts it in place (the same rules, so a client accepts exactly what a relay does).
    /// </summary>
    /// <param name="envelope">The bytes holding the message.</param>
    /// <param name="start">Where the message starts.</param>
    /// <param name="end">Where it ends (exclusive).</param>
    /// <param name="view">On success, where its fields are in <paramref name="envelope"/>.</param>
    /// <returns><see cref="EnvelopeFailure.None"/> or the first rule broken.</returns>
    internal static EnvelopeFailure Read(ReadOnlySpan<byte> envelope, int start, int end, out RatchetMessageView view)
    {
        view = default;
        Range header = default;
        Range ciphertext = default;
        var reader = new ProtoReader(envelope, start, end);
        while (!reader.IsAtEnd)
        {
            EnvelopeFailure failure = reader.ReadField(s_required, LengthDelimitedFields, out int field);
            if (failure != EnvelopeFailure.None)
            {
                return failure;
            }

            failure = reader.ReadBytes(out int valueStart, out int length);
            if (failure != EnvelopeFailure.None)
            {
                return failure;
            }

            if (field == HeaderField)
            {
                if (length != WireLimits.EncryptedHeaderLength)
                {
                    return EnvelopeFailure.InvalidHeaderLength;
                }

                header = new Range(valueStart, valueStart + length);
            }
            else
            {
                if (!PaddingBuckets.IsValidCiphertextLength(length))
                {
                    return EnvelopeFailure.InvalidCiphertextLength;
                }

                ciphertext = new Range(valueStart, valueStart + length);
            }
        }

        EnvelopeFailure missing = reader.CheckEnd(s_required);
        if (missing == EnvelopeFailure.None)
        {
            view = new RatchetMessageView(header, ciphertext);
        }

        return missing;
    }
}
