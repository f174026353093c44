using Schema = E2eChat.Wire.FieldNumbers.RatchetMessage;

namespace E2eChat.Wire;

/// <summary>
/// The codec of a <c>RatchetMessage</c> (<c>wire.proto</c>): <c>header</c> (1) 80 bytes and
/// <c>ciphertext</c> (2) a padding bucket plus 16 bytes, both required.
/// </summary>
internal static class WireRatchetMessage
{
    private const uint LengthDelimitedFields = (1u << Schema.HeaderFieldNumber) | (1u << Schema.CiphertextFieldNumber);

    private static readonly EnvelopeFailure[] s_required =
        [EnvelopeFailure.None, EnvelopeFailure.InvalidHeaderLength, EnvelopeFailure.InvalidCiphertextLength];

    /// <summary>Validates the ratchet message at <c>envelope[start..end]</c>.</summary>
    /// <param name="envelope">The whole envelope.</param>
    /// <param name="start">Where the message starts.</param>
    /// <param name="end">Where it ends (exclusive).</param>
    /// <param name="ciphertextLength">The ciphertext's length, on success.</param>
    /// <returns><see cref="EnvelopeFailure.None"/> or the first rule broken.</returns>
    internal static EnvelopeFailure Validate(ReadOnlySpan<byte> envelope, int start, int end, out int ciphertextLength) =>
        Locate(envelope, start, end, out _, out _, out ciphertextLength);

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
        checked(ProtoWriter.BytesFieldLength(Schema.HeaderFieldNumber, headerLength) + ProtoWriter.BytesFieldLength(Schema.CiphertextFieldNumber, ciphertextLength));

    /// <summary>Writes the canonical encoding of a ratchet message.</summary>
    /// <param name="header">The 80-byte encrypted header.</param>
    /// <param name="ciphertext">The ciphertext.</param>
    /// <param name="output">Exactly <see cref="GetEncodedLength"/> bytes.</param>
    internal static void Write(ReadOnlySpan<byte> header, ReadOnlySpan<byte> ciphertext, Span<byte> output)
    {
        var writer = new ProtoWriter(output);
        writer.WriteBytesField(Schema.HeaderFieldNumber, header);
        writer.WriteBytesField(Schema.CiphertextFieldNumber, ciphertext);
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
        EnvelopeFailure failure = Locate(envelope, start, end, out int headerStart, out int ciphertextStart, out int ciphertextLength);
        view = failure == EnvelopeFailure.None
            ? new RatchetMessageView(
                new Range(headerStart, headerStart + WireLimits.EncryptedHeaderLength),
                new Range(ciphertextStart, ciphertextStart + ciphertextLength))
            : default;
        return failure;
    }

    /// <summary>
    /// Checks the ratchet message at <c>envelope[start..end]</c> against every rule and reports where
    /// its fields are as plain offsets (no <see cref="Range"/> is built: the relay's per-envelope
    /// check needs only the ciphertext's length).
    /// </summary>
    /// <param name="envelope">The bytes holding the message.</param>
    /// <param name="start">Where the message starts.</param>
    /// <param name="end">Where it ends (exclusive).</param>
    /// <param name="headerStart">Where the 80-byte header starts, on success; otherwise 0.</param>
    /// <param name="ciphertextStart">Where the ciphertext starts, on success; otherwise 0.</param>
    /// <param name="ciphertextLength">The ciphertext's length, on success; otherwise 0.</param>
    /// <returns><see cref="EnvelopeFailure.None"/> or the first rule broken.</returns>
    internal static EnvelopeFailure Locate(ReadOnlySpan<byte> envelope, int start, int end, out int headerStart, out int ciphertextStart, out int ciphertextLength)
    {
        headerStart = 0;
        ciphertextStart = 0;
        ciphertextLength = 0;
        int header = 0;
        int ciphertext = 0;
        int length = 0;
        ReadOnlySpan<EnvelopeFailure> required = s_required;
        var reader = new ProtoReader(envelope, start, end);
        while (!reader.IsAtEnd)
        {
            EnvelopeFailure failure = reader.ReadField(required, LengthDelimitedFields, out int field);
            if (failure != EnvelopeFailure.None)
            {
                return failure;
            }

            failure = reader.ReadBytes(out int valueStart, out int valueLength);
            if (failure != EnvelopeFailure.None)
            {
                return failure;
            }

            if (field == Schema.HeaderFieldNumber)
            {
                if (valueLength != WireLimits.EncryptedHeaderLength)
                {
                    return EnvelopeFailure.InvalidHeaderLength;
                }

                header = valueStart;
            }
            else
            {
                if (!PaddingBuckets.IsValidCiphertextLength(valueLength))
                {
                    return EnvelopeFailure.InvalidCiphertextLength;
                }

                ciphertext = valueStart;
                length = valueLength;
            }
        }

        EnvelopeFailure missing = reader.CheckEnd(required);
        if (missing == EnvelopeFailure.None)
        {
            headerStart = header;
            ciphertextStart = ciphertext;
            ciphertextLength = length;
        }

        return missing;
    }
}
