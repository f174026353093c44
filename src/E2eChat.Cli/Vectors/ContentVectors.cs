using System.Text;
using E2eChat.Wire;

namespace E2eChat.Cli.Vectors;

/// <summary>
/// <c>content.json</c>: the plaintexts of pairwise messages, one of each content type, and
/// plaintexts a receiver must refuse with their <see cref="E2eChatFailure"/> (PROTOCOL.md 13).
/// </summary>
internal sealed class ContentVectors() : SynchronousVectorSuite(File)
{
    private const string File = "content.json";
    private const string Shop = "acme-shoes";
    private const ulong IssuedAt = VectorClock.Start;
    private const int MessageIdLength = 16;

    /// <inheritdoc/>
    private protected override List<JsonObject> Generate()
    {
        using DeterministicRandomSource random = VectorSeeds.For(File, "keys");
        byte[] seed = random.Draw(AccountKeyPair.PrivateKeyLength);
        byte[] messageId = random.Draw(MessageIdLength);
        byte[] referral = random.Draw(ProtocolLimits.MaxReferralLength);
        byte[] distribution = random.Draw(96);
        byte[] consent = random.Draw(120);
        byte[] longestBody = random.Draw(ProtocolLimits.MaxBodyLength);
        IdentityKey identity;
        using (IdentityKeyPair pair = IdentityKeyPair.Generate(random))
        {
            identity = pair.PublicKey;
        }

        byte[] deviceList;
        using (var key = AccountKeyPair.Import(seed))
        {
            deviceList = SignedDeviceList.Sign(key, new DeviceList(Shop, AccountKind.Business, 1, IssuedAt, [new DeviceEntry(1, identity, "Sam", DeviceRole.Agent)])).ToBytes();
        }

        byte[] hello = Encoding.UTF8.GetBytes("Hi! Is the Trail Runner 2 in stock in size 42?");
        var vectors = new List<JsonObject>
        {
            Positive("content_message_person", new JsonObject { ["message"] = Message(hello) }),
            Positive("content_message_business_marketing", new JsonObject { ["message"] = Message(Encoding.UTF8.GetBytes("20% off trail shoes this weekend."), 3) }),
            Positive("content_message_first_with_referral", new JsonObject { ["message"] = Message(hello, 0, referral[..12]) }),
            Positive("content_message_longest_fields", new JsonObject { ["message"] = Message(longestBody, 4, referral) }),
            Positive("content_sender_key_distribution", new JsonObject { ["sender_key_distribution"] = Hex.Encode(distribution) }),
            Positive("content_device_list", new JsonObject { ["device_list"] = Hex.Encode(deviceList) }),
            Positive("content_receipt_delivered", new JsonObject { ["receipt"] = Receipt(ReceiptType.Delivered, messageId) }),
            Positive("content_receipt_read", new JsonObject { ["receipt"] = Receipt(ReceiptType.Read, messageId) }),
            Positive("content_sync_copy_to_business", new JsonObject { ["sync"] = Sync(Shop, AccountKind.Business, Message(hello, 0, referral[..12])) }),
            Positive("content_sync_copy_of_agent_reply", new JsonObject { ["sync"] = Sync("alice", AccountKind.Person, Message(Encoding.UTF8.GetBytes("Yes, size 42 is in stock."), 1)) }),
            Positive("content_consent", new JsonObject { ["consent"] = Hex.Encode(consent) }),
        };
        AddInvalid(vectors, messageId);
        return vectors;
    }

    /// <inheritdoc/>
    private protected override void Verify(string kind, string name, JsonObject vector)
    {
        switch (kind)
        {
            case "content":
                Outputs.Compare(vector, Positive(name, VectorJson.Object(vector, "content")));
                break;
            case "content_invalid":
                Outputs.Compare(vector, Invalid(name, VectorJson.Bytes(vector, "encoded")));
                break;
            default:
                throw UnknownKind(kind);
        }
    }

    private static JsonObject Message(byte[] body, uint category = 0, byte[]? referral = null)
    {
        var message = new JsonObject { ["body"] = Hex.Encode(body) };
        if (category != 0)
        {
            message["category"] = category;
        }

        if (referral is not null)
        {
            message["referral"] = Hex.Encode(referral);
        }

        return message;
    }

    private static JsonObject Receipt(ReceiptType type, byte[] messageId) => new() { ["type"] = (uint)type, ["message_id"] = Hex.Encode(messageId) };

    private static JsonObject Sync(string recipient, AccountKind kind, JsonObject message) => new() { ["recipient"] = recipient, ["recipient_kind"] = (uint)kind, ["message"] = message };

    private static ApplicationMessage MessageFromJson(JsonObject json) => new(
        VectorJson.Bytes(json, "body"),
        json.ContainsKey("category") ? (int)VectorJson.UInt32(json, "category") : 0,
        json.ContainsKey("referral") ? VectorJson.Bytes(json, "referral") : default);

    private static Content FromJson(JsonObject json)
    {
        if (json.Count != 1)
        {
            throw new VectorFormatException("content: exactly one field expected");
        }

        string field = json.First().Key;
        return field switch
        {
            "message" => Content.FromMessage(MessageFromJson(VectorJson.Object(json, field))),
            "sender_key_distribution" => Content.FromRecord(ContentKind.SenderKeyDistribution, VectorJson.Bytes(json, field)),
            "consent" => Content.FromRecord(ContentKind.Consent, VectorJson.Bytes(json, field)),
            "device_list" => DeviceListContent(VectorJson.Bytes(json, field)),
            "receipt" => Content.FromReceipt(new Receipt(
                (ReceiptType)VectorJson.UInt32(VectorJson.Object(json, field), "type"),
                VectorJson.Bytes(VectorJson.Object(json, field), "message_id"))),
            "sync" => Content.FromSync(new SyncMessage(
                VectorJson.String(VectorJson.Object(json, field), "recipient"),
                (AccountKind)VectorJson.UInt32(VectorJson.Object(json, field), "recipient_kind"),
                MessageFromJson(VectorJson.Object(VectorJson.Object(json, field), "message")))),
            _ => throw new VectorFormatException($"content: unknown field '{field}'"),
        };
    }

    private static Content DeviceListContent(byte[] signed)
    {
        Expect.True(SignedDeviceList.TryRead(signed, out SignedDeviceList? list, out E2eChatFailure failure), $"device_list: {failure}");
        return Content.FromDeviceList(list!);
    }

    private static JsonObject MessageToJson(ApplicationMessage message) =>
        Message(message.Body.ToArray(), (uint)message.CategoryValue, message.HasReferral ? message.Referral.ToArray() : null);

    private static JsonObject ToJson(Content content) => content.Kind switch
    {
        ContentKind.Message => new JsonObject { ["message"] = MessageToJson(content.Message!) },
        ContentKind.Receipt => new JsonObject { ["receipt"] = Receipt(content.Receipt!.Type, content.Receipt.MessageId.ToArray()) },
        ContentKind.Sync => new JsonObject { ["sync"] = Sync(content.Sync!.Recipient, content.Sync.RecipientKind, MessageToJson(content.Sync.Message)) },
        ContentKind.SenderKeyDistribution => new JsonObject { ["sender_key_distribution"] = Hex.Encode(content.Record.Span) },
        ContentKind.DeviceList => new JsonObject { ["device_list"] = Hex.Encode(content.Record.Span) },
        _ => new JsonObject { ["consent"] = Hex.Encode(content.Record.Span) },
    };

    private static JsonObject Positive(string name, JsonObject contentJson)
    {
        byte[] encoded = FromJson(contentJson).ToBytes();
        Expect.True(Content.TryRead(encoded, out Content? read, out E2eChatFailure failure), $"{name}: the encoding is refused: {failure}");
        Expect.True(JsonNode.DeepEquals(ToJson(read!), contentJson), $"{name}: reading the encoding gives another content");
        return new JsonObject
        {
            ["name"] = name,
            ["kind"] = "content",
            ["content"] = contentJson.DeepClone(),
            ["encoded"] = Hex.Encode(encoded),
        };
    }

    private static JsonObject Invalid(string name, byte[] encoded)
    {
        Content.TryRead(encoded, out _, out E2eChatFailure failure);
        return VectorJson.Refused(name, "content_invalid", "encoded", encoded, failure.ToString());
    }

    private static void AddInvalid(List<JsonObject> vectors, byte[] messageId)
    {
        void Add(string name, E2eChatFailure failure, byte[] encoded) => vectors.Add(Expect.Fails(Invalid(name, encoded), failure.ToString()));
        static byte[] Wrap(int field, RecordWriter inner) => new RecordWriter().Message(field, inner.ToArray()).ToArray();
        static RecordWriter Body() => new RecordWriter().Bytes(1, "hi"u8);
        byte[] message = Wrap(1, Body());
        byte[] receipt = Wrap(4, new RecordWriter().Varint(1, 1).Bytes(2, messageId));

        Add("content_invalid_too_large", E2eChatFailure.TooLarge, Wrap(1, new RecordWriter().Bytes(1, new byte[ProtocolLimits.MaxPlaintextLength - 4])));
        Add("content_invalid_empty", E2eChatFailure.ContentMissing, []);
        Add("content_invalid_truncated", E2eChatFailure.Truncated, message[..^1]);
        Add("content_invalid_tag_not_minimal", E2eChatFailure.MalformedVarint, [0x8a, 0x00, .. message[1..]]);
        Add("content_invalid_unknown_content_7", E2eChatFailure.UnknownContent, Wrap(7, Body()));
        Add("content_invalid_field_0", E2eChatFailure.UnknownContent, [0x02, 0x00]);
        Add("content_invalid_unknown_after_message", E2eChatFailure.UnknownContent, [.. message, .. Wrap(9, Body())]);
        Add("content_invalid_message_and_receipt", E2eChatFailure.MultipleContents, [.. message, .. receipt]);
        Add("content_invalid_two_messages", E2eChatFailure.MultipleContents, [.. message, .. message]);
        Add("content_invalid_message_as_varint", E2eChatFailure.WrongWireType, new RecordWriter().Varint(1, 1).ToArray());
        Add("content_invalid_empty_sender_key_distribution", E2eChatFailure.DefaultValueWritten, new RecordWriter().Message(2, []).ToArray());
        Add("content_invalid_message_without_body", E2eChatFailure.MissingBody, Wrap(1, new RecordWriter().Varint(2, 3)));
        Add("content_invalid_message_empty", E2eChatFailure.MissingBody, Wrap(1, new RecordWriter()));
        Add("content_invalid_message_empty_body_written", E2eChatFailure.DefaultValueWritten, Wrap(1, new RecordWriter().Message(1, [])));
        Add("content_invalid_body_too_large", E2eChatFailure.BodyTooLarge, Wrap(1, new RecordWriter().Bytes(1, new byte[ProtocolLimits.MaxBodyLength + 1])));
        Add("content_invalid_category_5", E2eChatFailure.InvalidCategory, Wrap(1, Body().Varint(2, 5)));
        Add("content_invalid_category_0_written", E2eChatFailure.DefaultValueWritten, new RecordWriter().Message(1, [0x0a, 0x02, (byte)'h', (byte)'i', 0x10, 0x00]).ToArray());
        Add("content_invalid_referral_65_bytes", E2eChatFailure.InvalidReferral, Wrap(1, Body().Bytes(3, new byte[ProtocolLimits.MaxReferralLength + 1])));
        Add("content_invalid_message_unknown_field", E2eChatFailure.UnknownField, Wrap(1, Body().Varint(4, 1)));
        Add("content_invalid_message_fields_out_of_order", E2eChatFailure.FieldsOutOfOrder, Wrap(1, Body().Bytes(3, "ad"u8).Varint(2, 1)));
        Add("content_invalid_message_duplicate_body", E2eChatFailure.DuplicateField, Wrap(1, Body().Bytes(1, "hi"u8)));
        Add("content_invalid_receipt_type_3", E2eChatFailure.InvalidReceiptType, Wrap(4, new RecordWriter().Varint(1, 3).Bytes(2, messageId)));
        Add("content_invalid_receipt_missing_type", E2eChatFailure.InvalidReceiptType, Wrap(4, new RecordWriter().Bytes(2, messageId)));
        Add("content_invalid_receipt_message_id_15_bytes", E2eChatFailure.InvalidReceiptMessageId, Wrap(4, new RecordWriter().Varint(1, 2).Bytes(2, messageId.AsSpan(0, 15))));
        Add("content_invalid_receipt_missing_message_id", E2eChatFailure.InvalidReceiptMessageId, Wrap(4, new RecordWriter().Varint(1, 2)));
        Add("content_invalid_sync_recipient_upper_case", E2eChatFailure.InvalidSyncRecipient, Wrap(5, new RecordWriter().String(1, "ACME").Varint(2, 2).Message(3, Body().ToArray())));
        Add("content_invalid_sync_recipient_kind_3", E2eChatFailure.InvalidSyncRecipient, Wrap(5, new RecordWriter().String(1, Shop).Varint(2, 3).Message(3, Body().ToArray())));
        Add("content_invalid_sync_missing_recipient_kind", E2eChatFailure.InvalidSyncRecipient, Wrap(5, new RecordWriter().String(1, Shop).Message(3, Body().ToArray())));
        Add("content_invalid_sync_missing_message", E2eChatFailure.MissingSyncMessage, Wrap(5, new RecordWriter().String(1, Shop).Varint(2, 2)));
        Add("content_invalid_sync_message_without_body", E2eChatFailure.MissingBody, Wrap(5, new RecordWriter().String(1, Shop).Varint(2, 2).Message(3, new RecordWriter().Varint(2, 1).ToArray())));
    }
}
