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
        ciphertextLength = 0;
        var reader = new ProtoReader(envelope, start, end);
        while (!reader.IsAtEnd)
        {
            EnvelopeFailure failure = reader.ReadField(s_required, LengthDelimitedFields, out int field);
            if (failure != EnvelopeFailure.None)
            {
                return failure;
            }

            failure = reader.ReadBytes(out _, out int length);
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
            }
            else
            {
                if (!PaddingBuckets.IsValidCiphertextLength(length))
                {
                    return EnvelopeFailure.InvalidCiphertextLength;
                }

                ciphertextLength = length;
            }
        }

        return reader.CheckEnd(s_required);
    }
}
