namespace E2eChat.Relay;

/// <summary>
/// Validates a <c>PreKeyMessage</c> (<c>wire.proto</c>): <c>identity_key</c> (1) 128 bytes,
/// <c>base_key</c> (2) 32 bytes, <c>signed_prekey_id</c> (3) nonzero, <c>one_time_prekey_id</c> (4)
/// optional, <c>kem_prekey_id</c> (5) nonzero, <c>kem_ciphertext</c> (6) 1088 bytes and
/// <c>message</c> (7) a valid <c>RatchetMessage</c>; all but field 4 required.
/// </summary>
internal static class PreKeyMessageValidator
{
    private const uint LengthDelimitedFields = (1u << 1) | (1u << 2) | (1u << 6) | (1u << 7);

    private static readonly EnvelopeFailure[] s_required =
    [
        EnvelopeFailure.None,
        EnvelopeFailure.InvalidIdentityKeyLength,
        EnvelopeFailure.InvalidBaseKeyLength,
        EnvelopeFailure.InvalidPreKeyId,
        EnvelopeFailure.None,
        EnvelopeFailure.InvalidPreKeyId,
        EnvelopeFailure.InvalidKemCiphertextLength,
        EnvelopeFailure.MissingRatchetMessage,
    ];

    /// <summary>Validates the pre-key message at <c>envelope[start..end]</c>.</summary>
    /// <param name="envelope">The whole envelope.</param>
    /// <param name="start">Where the message starts.</param>
    /// <param name="end">Where it ends (exclusive).</param>
    /// <param name="ciphertextLength">The carried ratchet message's ciphertext length, on success.</param>
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

            failure = field switch
            {
                1 => ReadFixedLength(ref reader, RelayLimits.IdentityKeyLength, EnvelopeFailure.InvalidIdentityKeyLength),
                2 => ReadFixedLength(ref reader, RelayLimits.BaseKeyLength, EnvelopeFailure.InvalidBaseKeyLength),
                6 => ReadFixedLength(ref reader, RelayLimits.KemCiphertextLength, EnvelopeFailure.InvalidKemCiphertextLength),
                7 => ReadRatchetMessage(ref reader, envelope, out ciphertextLength),

                // 3, 4 and 5: pre-key ids. Any nonzero uint32 is valid; zero is never written, so a
                // missing signed or KEM id is caught as a skipped required field.
                _ => reader.ReadUInt32(out _),
            };
            if (failure != EnvelopeFailure.None)
            {
                return failure;
            }
        }

        return reader.CheckEnd(s_required);
    }

    private static EnvelopeFailure ReadFixedLength(ref ProtoReader reader, int expected, EnvelopeFailure wrongLength)
    {
        EnvelopeFailure failure = reader.ReadBytes(out _, out int length);
        if (failure != EnvelopeFailure.None)
        {
            return failure;
        }

        return length == expected ? EnvelopeFailure.None : wrongLength;
    }

    private static EnvelopeFailure ReadRatchetMessage(ref ProtoReader reader, ReadOnlySpan<byte> envelope, out int ciphertextLength)
    {
        ciphertextLength = 0;
        EnvelopeFailure failure = reader.ReadMessage(out int start, out int end);
        if (failure != EnvelopeFailure.None)
        {
            return failure;
        }

        return RatchetMessageValidator.Validate(envelope, start, end, out ciphertextLength);
    }
}
