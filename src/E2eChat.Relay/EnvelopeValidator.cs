namespace E2eChat.Relay;

/// <summary>
/// Checks an <c>Envelope</c> (<c>wire.proto</c>) against every rule of PROTOCOL.md section 8 without
/// any key: the canonical encoding (fields in ascending order, each at most once, no unknown fields,
/// minimal varints, no default-valued scalar written), the exact length of every key, id and
/// ciphertext, the padding buckets, and the size limit. It is a strict span-based reader: it
/// allocates nothing, never throws, and takes time linear in the envelope's length.
/// </summary>
/// <remarks>
/// A valid envelope is not an authentic one: only the recipient, holding the keys, can tell whether
/// the ciphertexts open. The relay uses what it learns (<see cref="EnvelopeInfo"/>) to route, meter,
/// de-duplicate and drop malformed traffic early.
/// </remarks>
public static class EnvelopeValidator
{
    /// <summary>The only protocol version this validator accepts.</summary>
    public const uint SupportedVersion = 1;

    private const int ContentFieldOffset = 6;

    private const uint LengthDelimitedFields =
        (1u << 3) | (1u << 4) | (1u << 5) | (1u << 7) | (1u << 8) | (1u << 9);

    private static readonly EnvelopeFailure[] s_required =
    [
        EnvelopeFailure.None,
        EnvelopeFailure.MissingVersion,
        EnvelopeFailure.InvalidType,
        EnvelopeFailure.InvalidSenderAddress,
        EnvelopeFailure.InvalidRecipientAddress,
        EnvelopeFailure.InvalidMessageId,
        EnvelopeFailure.MissingTimestamp,

        // 7, 8 and 9 (prekey, ratchet, sender_key): exactly the one named by type, checked apart.
        EnvelopeFailure.None,
        EnvelopeFailure.None,
        EnvelopeFailure.None,
    ];

    /// <summary>Validates an envelope.</summary>
    /// <param name="envelope">The envelope as received; any bytes, of any length.</param>
    /// <returns><see cref="EnvelopeFailure.None"/> when valid, otherwise the first rule broken.</returns>
    public static EnvelopeFailure Validate(ReadOnlySpan<byte> envelope) => ValidateCore(envelope, out _);

    /// <summary>Validates an envelope and reports what a relay learns from it.</summary>
    /// <param name="envelope">The envelope as received; any bytes, of any length.</param>
    /// <param name="info">
    /// On success, the envelope's routing and metering data (ranges point into
    /// <paramref name="envelope"/>); otherwise <see langword="default"/>.
    /// </param>
    /// <param name="failure">On failure, the first rule broken; otherwise <see cref="EnvelopeFailure.None"/>.</param>
    /// <returns><see langword="true"/> when the envelope is valid.</returns>
    public static bool TryValidate(ReadOnlySpan<byte> envelope, out EnvelopeInfo info, out EnvelopeFailure failure)
    {
        failure = ValidateCore(envelope, out info);
        return failure == EnvelopeFailure.None;
    }

    private static EnvelopeFailure ValidateCore(ReadOnlySpan<byte> envelope, out EnvelopeInfo info)
    {
        info = default;
        if (envelope.Length > RelayLimits.MaxEnvelopeLength)
        {
            return EnvelopeFailure.TooLarge;
        }

        var reader = new ProtoReader(envelope, 0, envelope.Length);
        uint version = 0;
        ulong type = 0;
        RelayAddress sender = default;
        RelayAddress recipient = default;
        Range messageId = default;
        ulong timestamp = 0;
        int contentField = 0;
        int ciphertextLength = 0;
        ulong expiresAt = 0;
        while (!reader.IsAtEnd)
        {
            EnvelopeFailure failure = reader.ReadField(s_required, LengthDelimitedFields, out int field);
            if (failure != EnvelopeFailure.None)
            {
                return failure;
            }

            switch (field)
            {
                case 1:
                    failure = reader.ReadUInt32(out version);
                    if (failure == EnvelopeFailure.None && version != SupportedVersion)
                    {
                        failure = EnvelopeFailure.UnsupportedVersion;
                    }

                    break;

                case 2:
                    failure = reader.ReadUInt64(out type);
                    if (failure == EnvelopeFailure.None && type is not ((ulong)EnvelopeType.PreKey or (ulong)EnvelopeType.Ratchet or (ulong)EnvelopeType.SenderKey))
                    {
                        failure = EnvelopeFailure.InvalidType;
                    }

                    break;

                case 3:
                    failure = ReadAddress(ref reader, envelope, isSender: true, out sender);
                    break;

                case 4:
                    failure = ReadAddress(ref reader, envelope, isSender: false, out recipient);
                    break;

                case 5:
                    failure = reader.ReadBytes(out int idStart, out int idLength);
                    if (failure == EnvelopeFailure.None && idLength != RelayLimits.MessageIdLength)
                    {
                        failure = EnvelopeFailure.InvalidMessageId;
                    }

                    messageId = new Range(idStart, idStart + idLength);
                    break;

                case 6:
                    failure = reader.ReadUInt64(out timestamp);
                    break;

                default:
                    // A content field (7, 8 or 9). Type is required and already read, so it names
                    // exactly one content field; a second content field can never match it.
                    if (contentField != 0 || (ulong)(field - ContentFieldOffset) != type)
                    {
                        return EnvelopeFailure.ContentMismatch;
                    }

                    contentField = field;
                    failure = ReadContent(ref reader, envelope, field, out ciphertextLength, out expiresAt);
                    break;
            }

            if (failure != EnvelopeFailure.None)
            {
                return failure;
            }
        }

        EnvelopeFailure missing = reader.CheckEnd(s_required);
        if (missing != EnvelopeFailure.None)
        {
            return missing;
        }

        if (contentField == 0)
        {
            return EnvelopeFailure.ContentMismatch;
        }

        info = new EnvelopeInfo(
            version,
            (EnvelopeType)(int)type,
            sender,
            recipient,
            messageId,
            timestamp,
            envelope.Length,
            ciphertextLength,
            expiresAt);
        return EnvelopeFailure.None;
    }

    private static EnvelopeFailure ReadAddress(ref ProtoReader reader, ReadOnlySpan<byte> envelope, bool isSender, out RelayAddress address)
    {
        address = default;
        EnvelopeFailure failure = reader.ReadMessage(out int start, out int end);
        if (failure != EnvelopeFailure.None)
        {
            return failure;
        }

        return AddressValidator.Validate(envelope, start, end, isSender, out address);
    }

    private static EnvelopeFailure ReadContent(ref ProtoReader reader, ReadOnlySpan<byte> envelope, int field, out int ciphertextLength, out ulong expiresAt)
    {
        ciphertextLength = 0;
        expiresAt = 0;
        EnvelopeFailure failure = reader.ReadMessage(out int start, out int end);
        if (failure != EnvelopeFailure.None)
        {
            return failure;
        }

        return (EnvelopeType)(field - ContentFieldOffset) switch
        {
            EnvelopeType.PreKey => PreKeyMessageValidator.Validate(envelope, start, end, out ciphertextLength),
            EnvelopeType.Ratchet => RatchetMessageValidator.Validate(envelope, start, end, out ciphertextLength),
            _ => SenderKeyMessageValidator.Validate(envelope, start, end, out ciphertextLength, out expiresAt),
        };
    }
}
