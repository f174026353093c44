using Schema = E2eChat.Wire.FieldNumbers.Envelope;

namespace E2eChat.Wire;

/// <summary>
/// The codec of an <c>Envelope</c> (<c>wire.proto</c>): reads one against every rule of PROTOCOL.md
/// section 8 without any key — the canonical encoding (fields in ascending order, each at most once,
/// no unknown fields, minimal varints, no default-valued scalar written), the exact length of every
/// key, id and ciphertext, the padding buckets, and the size limit — and writes the canonical
/// encoding. Reading is strict and span-based: it allocates nothing, never throws, and takes time
/// linear in the envelope's length. The relay and the client both read envelopes through it, so a
/// client accepts exactly what a relay does.
/// </summary>
/// <remarks>
/// A valid envelope is not an authentic one: only the recipient, holding the keys, can tell whether
/// the ciphertexts open. The relay uses what it learns (<see cref="EnvelopeView"/>) to route, meter,
/// de-duplicate and drop malformed traffic early.
/// </remarks>
public static class WireEnvelope
{
    /// <summary>The only protocol version this codec reads and writes.</summary>
    public const uint SupportedVersion = 1;

    // The content fields follow the envelope types: prekey (7) is type 1, ratchet (8) type 2, sender_key (9) type 3.
    private const int ContentFieldOffset = Schema.PrekeyFieldNumber - (int)EnvelopeType.PreKey;

    private const uint LengthDelimitedFields =
        (1u << Schema.SenderFieldNumber) | (1u << Schema.RecipientFieldNumber) | (1u << Schema.MessageIdFieldNumber)
        | (1u << Schema.PrekeyFieldNumber) | (1u << Schema.RatchetFieldNumber) | (1u << Schema.SenderKeyFieldNumber);

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

        // 10 (category): required or forbidden by the addresses and the type, checked at the end.
        EnvelopeFailure.None,
    ];

    /// <summary>Validates an envelope.</summary>
    /// <param name="envelope">The envelope as received; any bytes, of any length.</param>
    /// <returns><see cref="EnvelopeFailure.None"/> when valid, otherwise the first rule broken.</returns>
    public static EnvelopeFailure Validate(ReadOnlySpan<byte> envelope) => ReadCore(envelope, buildView: false, out _);

    /// <summary>Reads an envelope, reporting what it routes and where its content message is.</summary>
    /// <param name="envelope">The envelope as received; any bytes, of any length.</param>
    /// <param name="view">
    /// On success, the envelope's fields (ranges point into <paramref name="envelope"/>); otherwise
    /// <see langword="default"/>.
    /// </param>
    /// <param name="failure">On failure, the first rule broken; otherwise <see cref="EnvelopeFailure.None"/>.</param>
    /// <returns><see langword="true"/> when the envelope is valid.</returns>
    public static bool TryRead(ReadOnlySpan<byte> envelope, out EnvelopeView view, out EnvelopeFailure failure)
    {
        failure = ReadCore(envelope, buildView: true, out view);
        return failure == EnvelopeFailure.None;
    }

    /// <summary>
    /// Writes the canonical encoding of an envelope around an already encoded content message. It
    /// does not validate: read the result back with <see cref="TryRead"/> to learn whether a relay
    /// would accept it.
    /// </summary>
    /// <param name="type">The envelope type, naming the content field.</param>
    /// <param name="sender">The sender's address.</param>
    /// <param name="recipient">The recipient's address.</param>
    /// <param name="messageId">The message id (16 bytes for a valid envelope).</param>
    /// <param name="timestampMilliseconds">The sender's clock, nonzero for a valid envelope.</param>
    /// <param name="content">The encoded <c>PreKeyMessage</c>, <c>RatchetMessage</c> or <c>SenderKeyMessage</c>.</param>
    /// <param name="category">The business message's category (field 10), or <see cref="Category.Unspecified"/> for none.</param>
    /// <returns>The encoded envelope.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="type"/> is not a defined envelope type.</exception>
    internal static byte[] Write(EnvelopeType type, in AddressValue sender, in AddressValue recipient, ReadOnlySpan<byte> messageId, ulong timestampMilliseconds, ReadOnlySpan<byte> content, Category category = Category.Unspecified)
    {
        if (type is not (EnvelopeType.PreKey or EnvelopeType.Ratchet or EnvelopeType.SenderKey))
        {
            throw new ArgumentOutOfRangeException(nameof(type), type, "Not an envelope type.");
        }

        int contentField = (int)type + ContentFieldOffset;
        int length = checked(
            ProtoWriter.VarintFieldLength(Schema.VersionFieldNumber, SupportedVersion)
            + ProtoWriter.VarintFieldLength(Schema.TypeFieldNumber, (ulong)type)
            + ProtoWriter.BytesFieldLength(Schema.SenderFieldNumber, sender.EncodedLength)
            + ProtoWriter.BytesFieldLength(Schema.RecipientFieldNumber, recipient.EncodedLength)
            + (messageId.IsEmpty ? 0 : ProtoWriter.BytesFieldLength(Schema.MessageIdFieldNumber, messageId.Length))
            + ProtoWriter.VarintFieldLength(Schema.TimestampMsFieldNumber, timestampMilliseconds)
            + ProtoWriter.BytesFieldLength(contentField, content.Length)
            + ProtoWriter.VarintFieldLength(Schema.CategoryFieldNumber, (ulong)category));
        byte[] encoded = new byte[length];
        var writer = new ProtoWriter(encoded);
        writer.WriteVarintField(Schema.VersionFieldNumber, SupportedVersion);
        writer.WriteVarintField(Schema.TypeFieldNumber, (ulong)type);
        sender.Write(writer.ReserveBytesField(Schema.SenderFieldNumber, sender.EncodedLength));
        recipient.Write(writer.ReserveBytesField(Schema.RecipientFieldNumber, recipient.EncodedLength));
        if (!messageId.IsEmpty)
        {
            writer.WriteBytesField(Schema.MessageIdFieldNumber, messageId);
        }

        writer.WriteVarintField(Schema.TimestampMsFieldNumber, timestampMilliseconds);
        writer.WriteBytesField(contentField, content);
        writer.WriteVarintField(Schema.CategoryFieldNumber, (ulong)category);
        return encoded;
    }

    /// <summary>
    /// Reads an envelope against every rule of PROTOCOL.md section 8, in the order the section gives.
    /// Offsets are kept as plain integers and turned into <see cref="Range"/>s only when
    /// <paramref name="buildView"/> asks for the view: <see cref="Validate"/>, the relay's
    /// per-envelope check, builds nothing it would throw away.
    /// </summary>
    private static EnvelopeFailure ReadCore(ReadOnlySpan<byte> envelope, bool buildView, out EnvelopeView info)
    {
        info = default;
        if (envelope.Length > WireLimits.MaxEnvelopeLength)
        {
            return EnvelopeFailure.TooLarge;
        }

        ReadOnlySpan<EnvelopeFailure> required = s_required;
        var reader = new ProtoReader(envelope, 0, envelope.Length);
        uint version = 0;
        ulong type = 0;
        AddressView sender = default;
        AddressView recipient = default;
        int messageIdStart = 0;
        ulong timestamp = 0;
        int contentField = 0;
        int contentStart = 0;
        int contentEnd = 0;
        int ciphertextLength = 0;
        ulong expiresAt = 0;
        ulong category = 0;
        while (!reader.IsAtEnd)
        {
            EnvelopeFailure failure = reader.ReadField(required, LengthDelimitedFields, out int field);
            if (failure != EnvelopeFailure.None)
            {
                return failure;
            }

            switch (field)
            {
                case Schema.VersionFieldNumber:
                    failure = reader.ReadUInt32(out version);
                    if (failure == EnvelopeFailure.None && version != SupportedVersion)
                    {
                        failure = EnvelopeFailure.UnsupportedVersion;
                    }

                    break;

                case Schema.TypeFieldNumber:
                    failure = reader.ReadUInt64(out type);
                    if (failure == EnvelopeFailure.None && type is not ((ulong)EnvelopeType.PreKey or (ulong)EnvelopeType.Ratchet or (ulong)EnvelopeType.SenderKey))
                    {
                        failure = EnvelopeFailure.InvalidType;
                    }

                    break;

                case Schema.SenderFieldNumber:
                case Schema.RecipientFieldNumber:
                    failure = reader.ReadMessage(out int addressStart, out int addressEnd);
                    if (failure == EnvelopeFailure.None)
                    {
                        failure = field == Schema.SenderFieldNumber
                            ? WireAddress.Read(envelope, addressStart, addressEnd, isSender: true, out sender)
                            : WireAddress.Read(envelope, addressStart, addressEnd, isSender: false, out recipient);
                    }

                    break;

                case Schema.MessageIdFieldNumber:
                    failure = reader.ReadBytes(out messageIdStart, out int idLength);
                    if (failure == EnvelopeFailure.None && idLength != WireLimits.MessageIdLength)
                    {
                        failure = EnvelopeFailure.InvalidMessageId;
                    }

                    break;

                case Schema.TimestampMsFieldNumber:
                    failure = reader.ReadUInt64(out timestamp);
                    break;

                case Schema.CategoryFieldNumber:
                    failure = reader.ReadUInt64(out category);
                    if (failure == EnvelopeFailure.None && category is < (ulong)Category.Service or > (ulong)Category.Authentication)
                    {
                        failure = EnvelopeFailure.InvalidCategory;
                    }

                    break;

                default:
                    // A content field (7, 8 or 9). Type is required and already read, so it names
                    // exactly one content field; a second content field can never match it.
                    if (contentField != 0 || (ulong)(field - ContentFieldOffset) != type)
                    {
                        return EnvelopeFailure.ContentMismatch;
                    }

                    contentField = field;
                    failure = reader.ReadMessage(out contentStart, out contentEnd);
                    if (failure == EnvelopeFailure.None)
                    {
                        failure = (EnvelopeType)(field - ContentFieldOffset) switch
                        {
                            EnvelopeType.PreKey => WirePreKeyMessage.Validate(envelope, contentStart, contentEnd, out ciphertextLength),
                            EnvelopeType.Ratchet => WireRatchetMessage.Locate(envelope, contentStart, contentEnd, out _, out _, out ciphertextLength),
                            _ => WireSenderKeyMessage.Validate(envelope, contentStart, contentEnd, out ciphertextLength, out expiresAt),
                        };
                    }

                    break;
            }

            if (failure != EnvelopeFailure.None)
            {
                return failure;
            }
        }

        EnvelopeFailure missing = reader.CheckEnd(required);
        if (missing != EnvelopeFailure.None)
        {
            return missing;
        }

        if (contentField == 0)
        {
            return EnvelopeFailure.ContentMismatch;
        }

        // Step 3: exactly a business's pre-key or ratchet envelope to a person carries a category.
        bool needsCategory = sender.Kind == AccountKind.Business && recipient.Kind == AccountKind.Person
            && (ulong)(contentField - ContentFieldOffset) is (ulong)EnvelopeType.PreKey or (ulong)EnvelopeType.Ratchet;
        if (needsCategory && category == 0)
        {
            return EnvelopeFailure.MissingCategory;
        }

        if (!needsCategory && category != 0)
        {
            return EnvelopeFailure.UnexpectedCategory;
        }

        if (buildView)
        {
            info = new EnvelopeView(
                version,
                (EnvelopeType)(int)type,
                sender,
                recipient,
                new Range(messageIdStart, messageIdStart + WireLimits.MessageIdLength),
                timestamp,
                envelope.Length,
                ciphertextLength,
                expiresAt,
                new Range(contentStart, contentEnd),
                (Category)(int)category);
        }

        return EnvelopeFailure.None;
    }
}
