namespace E2eChat.Relay;

/// <summary>
/// Validates a <c>SenderKeyMessage</c> (<c>wire.proto</c>): <c>distribution_id</c> (1) 16 bytes,
/// <c>chain_id</c> (2) nonzero, <c>iteration</c> (3) and <c>expires_at_ms</c> (4) optional,
/// <c>ciphertext</c> (5) a padding bucket plus 16 bytes and <c>signature</c> (6) 64 bytes.
/// </summary>
internal static class SenderKeyMessageValidator
{
    private const uint LengthDelimitedFields = (1u << 1) | (1u << 5) | (1u << 6);

    private static readonly EnvelopeFailure[] s_required =
    [
        EnvelopeFailure.None,
        EnvelopeFailure.InvalidDistributionId,
        EnvelopeFailure.InvalidChainId,
        EnvelopeFailure.None,
        EnvelopeFailure.None,
        EnvelopeFailure.InvalidCiphertextLength,
        EnvelopeFailure.InvalidSignatureLength,
    ];

    /// <summary>Validates the sender-key message at <c>envelope[start..end]</c>.</summary>
    /// <param name="envelope">The whole envelope.</param>
    /// <param name="start">Where the message starts.</param>
    /// <param name="end">Where it ends (exclusive).</param>
    /// <param name="ciphertextLength">The ciphertext's length, on success.</param>
    /// <param name="expiresAtMilliseconds">The expiry, 0 for none, on success.</param>
    /// <returns><see cref="EnvelopeFailure.None"/> or the first rule broken.</returns>
    internal static EnvelopeFailure Validate(ReadOnlySpan<byte> envelope, int start, int end, out int ciphertextLength, out ulong expiresAtMilliseconds)
    {
        ciphertextLength = 0;
        expiresAtMilliseconds = 0;
        var reader = new ProtoReader(envelope, start, end);
        while (!reader.IsAtEnd)
        {
            EnvelopeFailure failure = reader.ReadField(s_required, LengthDelimitedFields, out int field);
            if (failure != EnvelopeFailure.None)
            {
                return failure;
            }

            int length = 0;
            failure = field switch
            {
                2 or 3 => reader.ReadUInt32(out _),
                4 => reader.ReadUInt64(out expiresAtMilliseconds),
                _ => reader.ReadBytes(out _, out length),
            };
            if (failure != EnvelopeFailure.None)
            {
                return failure;
            }

            failure = field switch
            {
                1 when length != RelayLimits.DistributionIdLength => EnvelopeFailure.InvalidDistributionId,
                5 when !PaddingBuckets.IsValidCiphertextLength(length) => EnvelopeFailure.InvalidCiphertextLength,
                6 when length != RelayLimits.SignatureLength => EnvelopeFailure.InvalidSignatureLength,
                _ => EnvelopeFailure.None,
            };
            if (failure != EnvelopeFailure.None)
            {
                return failure;
            }

            if (field == 5)
            {
                ciphertextLength = length;
            }
        }

        return reader.CheckEnd(s_required);
    }
}
