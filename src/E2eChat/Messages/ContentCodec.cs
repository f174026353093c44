using E2eChat.Accounts;
using E2eChat.Wire;

namespace E2eChat.Messages;

/// <summary>The canonical reader and writer of <c>Content</c> (PROTOCOL.md section 13).</summary>
internal static class ContentCodec
{
    private const int MaxContentField = 6;
    private const int MessageIdLength = 16;

    private static ReadOnlySpan<byte> MessageRequired => [0, (byte)ContentFailure.MissingBody, 0, 0];

    private static ReadOnlySpan<byte> ReceiptRequired => [0, (byte)ContentFailure.InvalidReceiptType, (byte)ContentFailure.InvalidReceiptMessageId];

    private static ReadOnlySpan<byte> SyncRequired => [0, (byte)ContentFailure.InvalidSyncRecipient, (byte)ContentFailure.InvalidSyncRecipient, (byte)ContentFailure.MissingSyncMessage];

    /// <summary>Encodes a content.</summary>
    internal static byte[] Write(Content content)
    {
        var writer = new RecordWriter();
        switch (content.Kind)
        {
            case ContentKind.Message:
                writer.Message(1, WriteMessage(content.Message!));
                break;
            case ContentKind.Receipt:
                writer.Message(4, new RecordWriter().Varint(1, (ulong)content.Receipt!.Type).Bytes(2, content.Receipt.MessageId.Span).ToArray());
                break;
            case ContentKind.Sync:
                SyncMessage sync = content.Sync!;
                writer.Message(5, new RecordWriter().String(1, sync.Recipient).Varint(2, (ulong)sync.RecipientKind).Message(3, WriteMessage(sync.Message)).ToArray());
                break;
            default:
                writer.Message((int)content.Kind, content.Record.Span);
                break;
        }

        return writer.ToArray();
    }

    /// <summary>Reads a content (section 13 steps 1-3); on failure <paramref name="content"/> is <see langword="null"/>.</summary>
    internal static ContentFailure Read(ReadOnlySpan<byte> bytes, out Content? content)
    {
        // A failure after a first valid field (a second content, a broken tag) must not hand that field out.
        ContentFailure failure = ReadFields(bytes, out content);
        if (failure != ContentFailure.None)
        {
            content = null;
        }

        return failure;
    }

    private static ContentFailure ReadFields(ReadOnlySpan<byte> bytes, out Content? content)
    {
        content = null;
        if (bytes.Length > ProtocolLimits.MaxPlaintextLength)
        {
            return ContentFailure.TooLarge;
        }

        var reader = new RecordReader(bytes);
        while (!reader.IsAtEnd)
        {
            WireError error = reader.ReadTag(out int field, out int wireType);
            if (error != WireError.None)
            {
                return (ContentFailure)error;
            }

            if (field is < 1 or > MaxContentField)
            {
                return ContentFailure.UnknownContent;
            }

            if (content is not null)
            {
                return ContentFailure.MultipleContents;
            }

            if (wireType != 2)
            {
                return ContentFailure.WrongWireType;
            }

            error = reader.ReadMessage(out ReadOnlySpan<byte> value);
            if (error != WireError.None)
            {
                return (ContentFailure)error;
            }

            ContentFailure failure = ContentFailure.None;
            switch ((ContentKind)field)
            {
                case ContentKind.Message:
                    failure = ReadMessage(value, out ApplicationMessage? message);
                    content = failure == ContentFailure.None ? Content.FromMessage(message!) : null;
                    break;
                case ContentKind.Receipt:
                    failure = ReadReceipt(value, out content);
                    break;
                case ContentKind.Sync:
                    failure = ReadSync(value, out content);
                    break;
                case ContentKind.SenderKeyDistribution when value.IsEmpty:
                    failure = ContentFailure.DefaultValueWritten;
                    break;
                default:
                    content = Content.FromReadRecord((ContentKind)field, value);
                    break;
            }

            if (failure != ContentFailure.None)
            {
                content = null;
                return failure;
            }
        }

        return content is null ? ContentFailure.ContentMissing : ContentFailure.None;
    }

    private static byte[] WriteMessage(ApplicationMessage message) =>
        new RecordWriter().Bytes(1, message.Body.Span).Varint(2, (ulong)message.CategoryValue).Bytes(3, message.Referral.Span).ToArray();

    private static ContentFailure ReadMessage(ReadOnlySpan<byte> bytes, out ApplicationMessage? message)
    {
        message = null;
        ReadOnlySpan<byte> body = default;
        ulong category = 0;
        ReadOnlySpan<byte> referral = default;
        var reader = new RecordReader(bytes);
        while (!reader.IsAtEnd)
        {
            byte code = reader.ReadField(MessageRequired, 0b1010, 0, out int field);
            if (code != 0)
            {
                return (ContentFailure)code;
            }

            ContentFailure failure;
            switch (field)
            {
                case 1:
                    failure = (ContentFailure)reader.ReadBytes(out body);
                    if (failure == ContentFailure.None && body.Length > ProtocolLimits.MaxBodyLength)
                    {
                        failure = ContentFailure.BodyTooLarge;
                    }

                    break;
                case 2:
                    failure = (ContentFailure)reader.ReadUInt64(out category);
                    if (failure == ContentFailure.None && category > 4)
                    {
                        failure = ContentFailure.InvalidCategory;
                    }

                    break;
                default:
                    failure = (ContentFailure)reader.ReadBytes(out referral);
                    if (failure == ContentFailure.None && referral.Length > ProtocolLimits.MaxReferralLength)
                    {
                        failure = ContentFailure.InvalidReferral;
                    }

                    break;
            }

            if (failure != ContentFailure.None)
            {
                return failure;
            }
        }

        ContentFailure end = (ContentFailure)reader.CheckEnd(MessageRequired);
        if (end == ContentFailure.None)
        {
            message = new ApplicationMessage(body, (int)category, referral);
        }

        return end;
    }

    private static ContentFailure ReadReceipt(ReadOnlySpan<byte> bytes, out Content? content)
    {
        content = null;
        ulong type = 0;
        ReadOnlySpan<byte> messageId = default;
        var reader = new RecordReader(bytes);
        while (!reader.IsAtEnd)
        {
            byte code = reader.ReadField(ReceiptRequired, 0b100, 0, out int field);
            if (code != 0)
            {
                return (ContentFailure)code;
            }

            ContentFailure failure = field == 1 ? (ContentFailure)reader.ReadUInt64(out type) : (ContentFailure)reader.ReadBytes(out messageId);
            if (failure == ContentFailure.None && field == 1 && type is not ((ulong)ReceiptType.Delivered or (ulong)ReceiptType.Read))
            {
                failure = ContentFailure.InvalidReceiptType;
            }

            if (failure == ContentFailure.None && field == 2 && messageId.Length != MessageIdLength)
            {
                failure = ContentFailure.InvalidReceiptMessageId;
            }

            if (failure != ContentFailure.None)
            {
                return failure;
            }
        }

        ContentFailure end = (ContentFailure)reader.CheckEnd(ReceiptRequired);
        if (end == ContentFailure.None)
        {
            content = Content.FromReceipt(new Receipt((ReceiptType)type, messageId));
        }

        return end;
    }

    private static ContentFailure ReadSync(ReadOnlySpan<byte> bytes, out Content? content)
    {
        content = null;
        string recipient = string.Empty;
        ulong kind = 0;
        ApplicationMessage? message = null;
        var reader = new RecordReader(bytes);
        while (!reader.IsAtEnd)
        {
            byte code = reader.ReadField(SyncRequired, 0b1010, 0, out int field);
            if (code != 0)
            {
                return (ContentFailure)code;
            }

            ContentFailure failure;
            switch (field)
            {
                case 1:
                    failure = (ContentFailure)reader.ReadBytes(out ReadOnlySpan<byte> name);
                    if (failure == ContentFailure.None)
                    {
                        failure = WireAddress.IsValidName(name) ? ContentFailure.None : ContentFailure.InvalidSyncRecipient;
                        recipient = failure == ContentFailure.None ? RecordText.Decode(name) : recipient;
                    }

                    break;
                case 2:
                    failure = (ContentFailure)reader.ReadUInt64(out kind);
                    if (failure == ContentFailure.None && kind is not ((ulong)AccountKind.Person or (ulong)AccountKind.Business))
                    {
                        failure = ContentFailure.InvalidSyncRecipient;
                    }

                    break;
                default:
                    failure = (ContentFailure)reader.ReadMessage(out ReadOnlySpan<byte> inner);
                    if (failure == ContentFailure.None)
                    {
                        failure = ReadMessage(inner, out message);
                    }

                    break;
            }

            if (failure != ContentFailure.None)
            {
                return failure;
            }
        }

        ContentFailure end = (ContentFailure)reader.CheckEnd(SyncRequired);
        if (end == ContentFailure.None)
        {
            content = Content.FromSync(new SyncMessage(recipient, (AccountKind)kind, message!));
        }

        return end;
    }
}
