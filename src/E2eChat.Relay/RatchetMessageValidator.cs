namespace E2eChat.Relay;

/// <summary>
/// Validates a <c>RatchetMessage</c> (<c>wire.proto</c>): <c>header</c> (1) 80 bytes and
/// <c>ciphertext</c> (2) a padding bucket plus 16 bytes, both required.
/// </summary>
internal static class RatchetMessageValidator
{
    private const uint LengthDelimitedFields = (1u << 1) | (1u << 2);

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
        EnvelopeFailure failure = Validate(envelope, start, end, out _, out Range ciphertext);
        ciphertextLength = failure == EnvelopeFailure.None ? ciphertext.End.Value - ciphertext.Start.Value : 0;
        return failure;
    }

    /// <summary>
    /// Validates the ratchet message at <c>envelope[start..end]</c> and locates its two fields, for a
    /// client that decrypts it in place (the same rules, so a client accepts exactly what a relay does).
    /// </summary>
    /// <param name="envelope">The bytes holding the message.</param>
    /// <param name="start">Where the message starts.</param>
    /// <param name="end">Where it ends (exclusive).</param>
    /// <param name="header">Where the 80-byte encrypted header is, on success.</param>
    /// <param name="ciphertext">Where the ciphertext is, on success.</param>
    /// <returns><see cref="EnvelopeFailure.None"/> or the first rule broken.</returns>
    internal static EnvelopeFailure Validate(ReadOnlySpan<byte> envelope, int start, int end, out Range header, out Range ciphertext)
    {
        header = default;
        ciphertext = default;
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

            if (field == 1)
            {
                if (length != RelayLimits.EncryptedHeaderLength)
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

        return reader.CheckEnd(s_required);
    }
}
