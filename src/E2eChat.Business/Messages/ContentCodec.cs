using E2eChat.Wire;
using ContentSchema = E2eChat.Wire.FieldNumbers.Content;
using MessageSchema = E2eChat.Wire.FieldNumbers.ApplicationMessage;
using ReceiptSchema = E2eChat.Wire.FieldNumbers.Receipt;
using SyncSchema = E2eChat.Wire.FieldNumbers.SyncMessage;

namespace E2eChat;

/// <summary>The canonical reader and writer of <c>Content</c> (PROTOCOL.md section 13).</summary>
internal static class ContentCodec
{
    private const int MessageIdLength = 16;
    private const uint MessageLengthDelimited = (1u << MessageSchema.BodyFieldNumber) | (1u << MessageSchema.ReferralFieldNumber);
    private const uint SyncLengthDelimited = (1u << SyncSchema.RecipientFieldNumber) | (1u << SyncSchema.MessageFieldNumber);

    private static ReadOnlySpan<byte> MessageRequired => [0, (byte)E2eChatFailure.MissingBody, 0, 0];

    private static ReadOnlySpan<byte> ReceiptRequired => [0, (byte)E2eChatFailure.InvalidReceiptType, (byte)E2eChatFailure.InvalidReceiptMessageId];

    private static ReadOnlySpan<byte> SyncRequired => [0, (byte)E2eChatFailure.InvalidSyncRecipient, (byte)E2eChatFailure.InvalidSyncRecipient, (byte)E2eChatFailure.MissingSyncMessage];

    /// <summary>Encodes a content.</summary>
    internal static byte[] Write(Content content)
    {
        var writer = new RecordWriter();
        switch (content.Kind)
        {
            case ContentKind.Message:
                writer.Message(ContentSchema.MessageFieldNumber, WriteMessage(content.Message!));
                break;
            case ContentKind.Receipt:
                writer.Message(ContentSchema.ReceiptFieldNumber, new RecordWriter()
                    .Varint(ReceiptSchema.TypeFieldNumber, (ulong)content.Receipt!.Type)
                    .Bytes(ReceiptSchema.MessageIdFieldNumber, content.Receipt.MessageId.Span)
                    .ToArray());
                break;
            case ContentKind.Sync:
                SyncMessage sync = content.Sync!;
                writer.Message(ContentSchema.SyncFieldNumber, new RecordWriter()
                    .String(SyncSchema.RecipientFieldNumber, sync.Recipient)
                    .Varint(SyncSchema.RecipientKindFieldNumber, (ulong)sync.RecipientKind)
                    .Message(SyncSchema.MessageFieldNumber, WriteMessage(sync.Message))
                    .ToArray());
                break;
            default:
                writer.Message((int)content.Kind, content.Record.Span);
                break;
        }

        return writer.ToArray();
    }

    /// <summary>Reads a content (section 13 steps 1-3); on failure <paramref name="content"/> is <see langword="null"/>.</summary>
    internal static E2eChatFailure Read(ReadOnlySpan<byte> bytes, out Content? content)
    {
        // A failure after a first valid field (a second content, a broken tag) must not hand that field out.
        E2eChatFailure failure = ReadFields(bytes, out content);
        if (failure != E2eChatFailure.None)
        {
            content = null;
        }

        return failure;
    }

    private static E2eChatFailure ReadFields(ReadOnlySpan<byte> bytes, out Content? content)
    {
        content = null;
        if (bytes.Length > ProtocolLimits.MaxPlaintextLength)
        {
            return E2eChatFailure.TooLarge;
        }

        var reader = new RecordReader(bytes);
        while (!reader.IsAtEnd)
        {
            E2eChatFailure error = reader.ReadTag(out int field, out int wireType);
            if (error != E2eChatFailure.None)
            {
                return error;
            }

            if (field is < ContentSchema.MessageFieldNumber or > ContentSchema.ConsentFieldNumber)
            {
                return E2eChatFailure.UnknownContent;
            }

            if (content is not null)
            {
                return E2eChatFailure.MultipleContents;
            }

            if (wireType != (int)WireType.LengthDelimited)
            {
                return E2eChatFailure.WrongWireType;
            }

            error = reader.ReadMessage(out ReadOnlySpan<byte> value);
            if (error != E2eChatFailure.None)
            {
                return error;
            }

            E2eChatFailure failure = E2eChatFailure.None;
            switch ((ContentKind)field)
            {
                case ContentKind.Message:
                    failure = ReadMessage(value, out ApplicationMessage? message);
                    content = failure == E2eChatFailure.None ? Content.FromMessage(message!) : null;
                    break;
                case ContentKind.Receipt:
                    failure = ReadReceipt(value, out content);
                    break;
                case ContentKind.Sync:
                    failure = ReadSync(value, out content);
                    break;
                case ContentKind.SenderKeyDistribution when value.IsEmpty:
                    failure = E2eChatFailure.DefaultValueWritten;
                    break;
                default:
                    content = Content.FromReadRecord((ContentKind)field, value);
                    break;
            }

            if (failure != E2eChatFailure.None)
            {
                content = null;
                return failure;
            }
        }

        return content is null ? E2eChatFailure.ContentMissing : E2eChatFailure.None;
    }

    private static byte[] WriteMessage(ApplicationMessage message) =>
        new RecordWriter()
            .Bytes(MessageSchema.BodyFieldNumber, message.Body.Span)
            .Varint(MessageSchema.CategoryFieldNumber, (ulong)message.CategoryValue)
            .Bytes(MessageSchema.ReferralFieldNumber, message.Referral.Span)
            .ToArray();

    private static E2eChatFailure ReadMessage(ReadOnlySpan<byte> bytes, out ApplicationMessage? message)
    {
        message = null;
        ReadOnlySpan<byte> body = default;
        ulong category = 0;
        ReadOnlySpan<byte> referral = default;
        var reader = new RecordReader(bytes);
        while (!reader.IsAtEnd)
        {
            byte code = reader.ReadField(MessageRequired, MessageLengthDelimited, 0, out int field);
            if (code != 0)
            {
                return (E2eChatFailure)code;
            }

            E2eChatFailure failure;
            switch (field)
            {
                case MessageSchema.BodyFieldNumber:
                    failure = reader.ReadBytes(out body);
                    if (failure == E2eChatFailure.None && body.Length > ProtocolLimits.MaxBodyLength)
                    {
                        failure = E2eChatFailure.BodyTooLarge;
                    }

                    break;
                case MessageSchema.CategoryFieldNumber:
                    failure = reader.ReadUInt64(out category);
                    if (failure == E2eChatFailure.None && category > 4)
                    {
                        failure = E2eChatFailure.InvalidCategory;
                    }

                    break;
                default:
                    failure = reader.ReadBytes(out referral);
                    if (failure == E2eChatFailure.None && referral.Length > ProtocolLimits.MaxReferralLength)
                    {
                        failure = E2eChatFailure.InvalidReferral;
                    }

                    break;
            }

            if (failure != E2eChatFailure.None)
            {
                return failure;
            }
        }

        E2eChatFailure end = (E2eChatFailure)reader.CheckEnd(MessageRequired);
        if (end == E2eChatFailure.None)
        {
            message = new ApplicationMessage(body, (int)category, referral);
        }

        return end;
    }

    private static E2eChatFailure ReadReceipt(ReadOnlySpan<byte> bytes, out Content? content)
    {
        content = null;
        ulong type = 0;
        ReadOnlySpan<byte> messageId = default;
        var reader = new RecordReader(bytes);
        while (!reader.IsAtEnd)
        {
            byte code = reader.ReadField(ReceiptRequired, 1u << ReceiptSchema.MessageIdFieldNumber, 0, out int field);
            if (code != 0)
            {
                return (E2eChatFailure)code;
            }

            E2eChatFailure failure = field == ReceiptSchema.TypeFieldNumber ? reader.ReadUInt64(out type) : reader.ReadBytes(out messageId);
            if (failure == E2eChatFailure.None && field == ReceiptSchema.TypeFieldNumber && type is not ((ulong)ReceiptType.Delivered or (ulong)ReceiptType.Read))
            {
                failure = E2eChatFailure.InvalidReceiptType;
            }

            if (failure == E2eChatFailure.None && field == ReceiptSchema.MessageIdFieldNumber && messageId.Length != MessageIdLength)
            {
                failure = E2eChatFailure.InvalidReceiptMessageId;
            }

            if (failure != E2eChatFailure.None)
            {
                return failure;
            }
        }

        E2eChatFailure end = (E2eChatFailure)reader.CheckEnd(ReceiptRequired);
        if (end == E2eChatFailure.None)
        {
            content = Content.FromReceipt(new Receipt((ReceiptType)type, messageId));
        }

        return end;
    }

    private static E2eChatFailure ReadSync(ReadOnlySpan<byte> bytes, out Content? content)
    {
        content = null;
        string recipient = string.Empty;
        ulong kind = 0;
        ApplicationMessage? message = null;
        var reader = new RecordReader(bytes);
        while (!reader.IsAtEnd)
        {
            byte code = reader.ReadField(SyncRequired, SyncLengthDelimited, 0, out int field);
            if (code != 0)
            {
                return (E2eChatFailure)code;
            }

            E2eChatFailure failure;
            switch (field)
            {
                case SyncSchema.RecipientFieldNumber:
                    failure = reader.ReadBytes(out ReadOnlySpan<byte> name);
                    if (failure == E2eChatFailure.None)
                    {
                        failure = WireAddress.IsValidName(name) ? E2eChatFailure.None : E2eChatFailure.InvalidSyncRecipient;
                        recipient = failure == E2eChatFailure.None ? RecordText.Decode(name) : recipient;
                    }

                    break;
                case SyncSchema.RecipientKindFieldNumber:
                    failure = reader.ReadUInt64(out kind);
                    if (failure == E2eChatFailure.None && kind is not ((ulong)AccountKind.Person or (ulong)AccountKind.Business))
                    {
                        failure = E2eChatFailure.InvalidSyncRecipient;
                    }

                    break;
                default:
                    failure = reader.ReadMessage(out ReadOnlySpan<byte> inner);
                    if (failure == E2eChatFailure.None)
                    {
                        failure = ReadMessage(inner, out message);
                    }

                    break;
            }

            if (failure != E2eChatFailure.None)
            {
                return failure;
            }
        }

        E2eChatFailure end = (E2eChatFailure)reader.CheckEnd(SyncRequired);
        if (end == E2eChatFailure.None)
        {
            content = Content.FromSync(new SyncMessage(recipient, (AccountKind)kind, message!));
        }

        return end;
    }
}
