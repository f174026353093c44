using E2eChat.Relay;
using E2eChat.Wire;
using static E2eChat.Cli.Vectors.ProtoBytes;

namespace E2eChat.Cli.Vectors;

/// <summary>
/// <c>envelopes.json</c>: valid envelopes of each type (pre-key and ratchet ones from real sessions)
/// and envelopes the relay-side validator must refuse, with the <c>EnvelopeFailure</c> it reports
/// (PROTOCOL.md 8).
/// </summary>
internal sealed class EnvelopeVectors() : VectorSuite(File)
{
    private const string File = "envelopes.json";
    private const ulong Timestamp = VectorClock.Start;

    private static readonly ProtocolAddress s_alice = new("alice", 1);
    private static readonly ProtocolAddress s_shop = new("shop.example_2-b", 7);
    private static readonly ProtocolAddress s_dave = new("dave", 2);

    /// <inheritdoc/>
    public override async ValueTask<IReadOnlyList<JsonObject>> GenerateAsync()
    {
        using DeterministicRandomSource random = VectorSeeds.For(File, "sessions");
        var vectors = new List<JsonObject>();
        Messages messages = await RealMessagesAsync(random).ConfigureAwait(false);

        void AddValid(string name, ProtocolAddress sender, AccountKind senderKind, ProtocolAddress recipient, AccountKind recipientKind, ulong timestamp, CiphertextMessage message, Category category = Category.Unspecified)
        {
            var envelope = new Envelope(sender, senderKind, recipient, recipientKind, random.Draw(Envelope.MessageIdLength), timestamp, message, category);
            JsonObject vector = Valid(name, EnvelopeCodec.Encode(envelope));
            if (!VectorJson.Bool(vector, "valid") || VectorJson.UInt32(vector, "type") != (uint)message.Type)
            {
                throw new InvalidOperationException($"{name}: the validator refused a valid envelope");
            }

            vectors.Add(vector);
        }

        AddValid("envelope_prekey_person_to_business", s_alice, AccountKind.Person, s_shop, AccountKind.Business, Timestamp, messages.PreKey);
        AddValid("envelope_prekey_without_one_time_prekey", s_alice, AccountKind.Person, s_dave, AccountKind.Person, Timestamp + 1, messages.PreKeyWithoutOneTime);
        AddValid("envelope_ratchet_business_to_person", s_shop, AccountKind.Business, s_alice, AccountKind.Person, Timestamp + 2, messages.Ratchet, Category.Service);
        AddValid(
            "envelope_ratchet_largest_bucket_longest_name",
            new ProtocolAddress(new string('z', ProtocolAddress.MaxNameLength), ProtocolAddress.MaxDeviceId),
            AccountKind.Business,
            new ProtocolAddress("0._-9", 1),
            AccountKind.Person,
            ulong.MaxValue,
            messages.LargestRatchet,
            Category.Authentication);
        AddValid("envelope_sender_key_status", s_shop, AccountKind.Business, s_alice, AccountKind.Person, Timestamp + 3, SenderKeyMessage(random, 3, 17, Timestamp + ProtocolLimits.StatusLifetimeMilliseconds, 64));
        AddValid("envelope_sender_key_iteration_zero_no_expiry", s_alice, AccountKind.Person, s_dave, AccountKind.Person, Timestamp + 4, SenderKeyMessage(random, 1, 0, 0, 1024));
        AddValid("envelope_sender_key_max_values", s_shop, AccountKind.Business, s_dave, AccountKind.Person, ulong.MaxValue, SenderKeyMessage(random, uint.MaxValue, uint.MaxValue, ulong.MaxValue, 128));

        AddInvalid(vectors, random, messages);
        return vectors;
    }

    /// <inheritdoc/>
    private protected override ValueTask VerifyAsync(string kind, string name, JsonObject vector)
    {
        byte[] envelope = VectorJson.Bytes(vector, "envelope");
        switch (kind)
        {
            case "envelope":
                Outputs.Compare(vector, Valid(name, envelope));
                Expect.True(EnvelopeCodec.TryDecode(envelope, out Envelope? decoded, out E2eChatFailure failure), $"EnvelopeCodec refused it: {failure}");
                Expect.Equal("envelope (decoded and re-encoded)", envelope, EnvelopeCodec.Encode(decoded!));
                break;
            case "envelope_invalid":
                Outputs.Compare(vector, Invalid(name, envelope));
                Expect.True(!EnvelopeCodec.TryDecode(envelope, out _, out E2eChatFailure decodeFailure) && decodeFailure.ToString() == VectorJson.String(vector, "failure"), "EnvelopeCodec disagrees with the validator");
                break;
            default:
                throw UnknownKind(kind);
        }

        return ValueTask.CompletedTask;
    }

    private static JsonObject Valid(string name, byte[] envelope)
    {
        bool valid = EnvelopeValidator.TryValidate(envelope, out EnvelopeView info, out _);
        return new JsonObject
        {
            ["name"] = name,
            ["kind"] = "envelope",
            ["envelope"] = Hex.Encode(envelope),
            ["type"] = valid ? (uint)info.Type : 0u,
            ["valid"] = valid,
        };
    }

    private static JsonObject Invalid(string name, byte[] envelope) =>
        VectorJson.Refused(name, "envelope_invalid", "envelope", envelope, EnvelopeValidator.Validate(envelope).ToString());

    /// <summary>Pre-key and ratchet messages of real sessions between in-memory parties.</summary>
    private static async ValueTask<Messages> RealMessagesAsync(RandomSource random)
    {
        PartyKeys aliceKeys = PartyKeys.DrawIdentity(random);
        PartyKeys shopKeys = PartyKeys.DrawWithPreKeys(random, 1, 2, 3, kemLastResort: false);
        PartyKeys daveKeys = PartyKeys.DrawWithPreKeys(random, 4, 0, 5, kemLastResort: true);
        using PartyStores alice = await PartyStores.CreateAsync(aliceKeys).ConfigureAwait(false);
        using PartyStores shop = await PartyStores.CreateAsync(shopKeys).ConfigureAwait(false);
        using PartyStores dave = await PartyStores.CreateAsync(daveKeys).ConfigureAwait(false);
        using var aliceManager = new SessionManager(alice.Stores, s_alice, random);
        using var shopManager = new SessionManager(shop.Stores, s_shop, random);

        await aliceManager.StartSessionAsync(s_shop, shopKeys.CreateBundle(shop.Identity)).ConfigureAwait(false);
        await aliceManager.StartSessionAsync(s_dave, daveKeys.CreateBundle(dave.Identity)).ConfigureAwait(false);
        CiphertextMessage preKey = await aliceManager.EncryptAsync(s_shop, "Is the blue one in stock?"u8.ToArray()).ConfigureAwait(false);
        CiphertextMessage preKeyWithoutOneTime = await aliceManager.EncryptAsync(s_dave, "Hi Dave"u8.ToArray()).ConfigureAwait(false);
        _ = await shopManager.DecryptAsync(s_alice, preKey).ConfigureAwait(false);
        CiphertextMessage ratchet = await shopManager.EncryptAsync(s_alice, "Yes, in sizes S to L."u8.ToArray()).ConfigureAwait(false);
        CiphertextMessage largest = await shopManager.EncryptAsync(s_alice, random.Draw(ProtocolLimits.MaxPlaintextLength)).ConfigureAwait(false);
        if (preKey.Type != EnvelopeType.PreKey || preKeyWithoutOneTime.Type != EnvelopeType.PreKey || ratchet.Type != EnvelopeType.Ratchet || largest.Type != EnvelopeType.Ratchet)
        {
            throw new InvalidOperationException("Unexpected message types from the session manager.");
        }

        return new Messages(preKey, preKeyWithoutOneTime, ratchet, largest);
    }

    /// <summary>A structurally valid sender-key message (the relay cannot check its ciphertext or signature).</summary>
    private static CiphertextMessage SenderKeyMessage(RandomSource random, uint chainId, uint iteration, ulong expiresAt, int bucket) =>
        new(EnvelopeType.SenderKey, SenderKeyBody(
            random.Draw(WireLimits.DistributionIdLength),
            chainId,
            iteration == 0 ? null : iteration,
            expiresAt == 0 ? null : expiresAt,
            random.Draw(bucket + Aead.TagLength),
            random.Draw(Ed25519.SignatureLength)));

    private static void AddInvalid(List<JsonObject> vectors, RandomSource random, Messages messages)
    {
        Wire.Proto.PreKeyMessage realPreKey = Wire.Proto.PreKeyMessage.Parser.ParseFrom(messages.PreKey.Body.Span);
        byte[] identityKey = realPreKey.IdentityKey.ToByteArray();
        byte[] baseKey = realPreKey.BaseKey.ToByteArray();
        byte[] kemCiphertext = realPreKey.KemCiphertext.ToByteArray();
        Wire.Proto.RatchetMessage realRatchet = Wire.Proto.RatchetMessage.Parser.ParseFrom(messages.Ratchet.Body.Span);
        byte[] header = realRatchet.Header.ToByteArray();
        byte[] ciphertext = realRatchet.Ciphertext.ToByteArray();
        byte[] ratchet = RatchetBody(header, ciphertext);
        byte[] messageId = random.Draw(WireLimits.MessageIdLength);
        byte[] distributionId = random.Draw(WireLimits.DistributionIdLength);
        byte[] signature = random.Draw(Ed25519.SignatureLength);
        byte[] preKey = PreKeyBody(identityKey, baseKey, 1, 2, 3, kemCiphertext, ratchet);
        byte[] senderKey = SenderKeyBody(distributionId, 3, 17, null, ciphertext, signature);

        // The fields of a valid ratchet envelope, each encoded on its own.
        byte[] version = VarintField(1, 1);
        byte[] type = VarintField(2, 2);
        byte[] sender = BytesField(3, AddressBody("alice", 1, 1));
        byte[] recipient = BytesField(4, AddressBody("shop.example_2-b", 7, 2));
        byte[] id = BytesField(5, messageId);
        byte[] timestamp = VarintField(6, Timestamp);
        byte[] content = BytesField(Wire.FieldNumbers.Envelope.RatchetFieldNumber, ratchet);
        byte[] valid = Concat(version, type, sender, recipient, id, timestamp, content);
        byte[] WithRatchet(byte[] ratchetMessage) => Concat(version, type, sender, recipient, id, timestamp, BytesField(Wire.FieldNumbers.Envelope.RatchetFieldNumber, ratchetMessage));
        byte[] WithPreKey(byte[] preKeyMessage) => Concat(version, VarintField(2, 1), sender, recipient, id, timestamp, BytesField(7, preKeyMessage));
        byte[] WithSenderKey(byte[] senderKeyMessage) => Concat(version, VarintField(2, 3), sender, recipient, id, timestamp, BytesField(9, senderKeyMessage));
        byte[] WithSender(byte[] address) => Concat(version, type, BytesField(3, address), recipient, id, timestamp, content);
        byte[] WithRecipient(byte[] address) => Concat(version, type, sender, BytesField(4, address), id, timestamp, content);
        byte[] WithId(byte[] field) => Concat(version, type, sender, recipient, field, timestamp, content);

        void Add(string name, EnvelopeFailure failure, byte[] envelope) => vectors.Add(Expect.Fails(Invalid(name, envelope), failure.ToString()));

        if (EnvelopeValidator.Validate(valid) != EnvelopeFailure.None || EnvelopeValidator.Validate(WithPreKey(preKey)) != EnvelopeFailure.None
            || EnvelopeValidator.Validate(WithSenderKey(senderKey)) != EnvelopeFailure.None)
        {
            throw new InvalidOperationException("The hand-built base envelopes are not valid.");
        }

        // Size and encoding.
        Add("envelope_invalid_too_large", EnvelopeFailure.TooLarge, OfLength(WireLimits.MaxEnvelopeLength + 1, length => WithRatchet(RatchetBody(header, new byte[length]))));
        Add("envelope_invalid_truncated", EnvelopeFailure.Truncated, valid[..^1]);
        Add("envelope_invalid_truncated_tag", EnvelopeFailure.Truncated, Concat(valid, NonCanonicalVarints.Unterminated(1)));
        Add("envelope_invalid_varint_not_minimal", EnvelopeFailure.MalformedVarint, Concat(Tag(1, 0), NonCanonicalVarints.NotMinimal(1), type, sender, recipient, id, timestamp, content));
        Add("envelope_invalid_varint_too_long", EnvelopeFailure.MalformedVarint, Concat(version, type, sender, recipient, id, Tag(6, 0), NonCanonicalVarints.TooLong(), content));
        Add("envelope_invalid_version_over_32_bits", EnvelopeFailure.MalformedVarint, Concat(VarintField(1, 1UL << 32), type, sender, recipient, id, timestamp, content));
        Add("envelope_invalid_wrong_wire_type", EnvelopeFailure.WrongWireType, Concat(BytesField(1, [1]), type, sender, recipient, id, timestamp, content));
        Add("envelope_invalid_unknown_field", EnvelopeFailure.UnknownField, Concat(valid, VarintField(11, 1)));
        Add("envelope_invalid_field_number_zero", EnvelopeFailure.UnknownField, Concat(Tag(0, 0), Varint(1), valid));
        Add("envelope_invalid_unknown_field_in_ratchet_message", EnvelopeFailure.UnknownField, WithRatchet(Concat(ratchet, VarintField(3, 1))));
        Add("envelope_invalid_duplicate_field", EnvelopeFailure.DuplicateField, Concat(version, valid));
        Add("envelope_invalid_version_after_content", EnvelopeFailure.FieldsOutOfOrder, Concat(valid, version));
        Add("envelope_invalid_timestamp_after_content", EnvelopeFailure.FieldsOutOfOrder, Concat(valid, timestamp));
        Add("envelope_invalid_type_before_version", EnvelopeFailure.MissingVersion, Concat(type, version, sender, recipient, id, timestamp, content));
        Add("envelope_invalid_zero_version_written", EnvelopeFailure.DefaultValueWritten, Concat(VarintField(1, 0), type, sender, recipient, id, timestamp, content));
        Add("envelope_invalid_zero_timestamp_written", EnvelopeFailure.DefaultValueWritten, Concat(version, type, sender, recipient, id, VarintField(6, 0), content));
        Add("envelope_invalid_empty_message_id_written", EnvelopeFailure.DefaultValueWritten, WithId(BytesField(5, [])));
        Add("envelope_invalid_zero_iteration_written", EnvelopeFailure.DefaultValueWritten, WithSenderKey(SenderKeyBody(distributionId, 3, 0, null, ciphertext, signature)));

        // Envelope fields.
        Add("envelope_invalid_missing_version", EnvelopeFailure.MissingVersion, Concat(type, sender, recipient, id, timestamp, content));
        Add("envelope_invalid_version_2", EnvelopeFailure.UnsupportedVersion, Concat(VarintField(1, 2), type, sender, recipient, id, timestamp, content));
        Add("envelope_invalid_missing_type", EnvelopeFailure.InvalidType, Concat(version, sender, recipient, id, timestamp, content));
        Add("envelope_invalid_type_4", EnvelopeFailure.InvalidType, Concat(version, VarintField(2, 4), sender, recipient, id, timestamp, content));
        Add("envelope_invalid_type_does_not_match_content", EnvelopeFailure.ContentMismatch, Concat(version, type, sender, recipient, id, timestamp, BytesField(7, preKey)));
        Add("envelope_invalid_no_content", EnvelopeFailure.ContentMismatch, Concat(version, type, sender, recipient, id, timestamp));
        Add("envelope_invalid_two_contents", EnvelopeFailure.ContentMismatch, Concat(valid, BytesField(9, senderKey)));
        Add("envelope_invalid_sender_name_upper_case", EnvelopeFailure.InvalidSenderAddress, WithSender(AddressBody("Alice", 1, 1)));
        Add("envelope_invalid_sender_name_65_chars", EnvelopeFailure.InvalidSenderAddress, WithSender(AddressBody(new string('a', 65), 1, 1)));
        Add("envelope_invalid_sender_name_non_ascii", EnvelopeFailure.InvalidSenderAddress, WithSender(AddressBody("zoë", 1, 1)));
        Add("envelope_invalid_sender_missing_device", EnvelopeFailure.InvalidSenderAddress, WithSender(AddressBody("alice", null, 1)));
        Add("envelope_invalid_sender_kind_3", EnvelopeFailure.InvalidSenderAddress, WithSender(AddressBody("alice", 1, 3)));
        Add("envelope_invalid_sender_empty", EnvelopeFailure.InvalidSenderAddress, WithSender([]));
        Add("envelope_invalid_missing_sender", EnvelopeFailure.InvalidSenderAddress, Concat(version, type, recipient, id, timestamp, content));
        Add("envelope_invalid_recipient_device_256", EnvelopeFailure.InvalidRecipientAddress, WithRecipient(AddressBody("shop.example_2-b", 256, 2)));
        Add("envelope_invalid_recipient_missing_kind", EnvelopeFailure.InvalidRecipientAddress, WithRecipient(AddressBody("shop.example_2-b", 7, null)));
        Add("envelope_invalid_message_id_15_bytes", EnvelopeFailure.InvalidMessageId, WithId(BytesField(5, messageId[..15])));
        Add("envelope_invalid_message_id_17_bytes", EnvelopeFailure.InvalidMessageId, WithId(BytesField(5, [.. messageId, 0x00])));
        Add("envelope_invalid_missing_timestamp", EnvelopeFailure.MissingTimestamp, Concat(version, type, sender, recipient, id, content));

        // Pre-key messages.
        Add("envelope_invalid_identity_key_127_bytes", EnvelopeFailure.InvalidIdentityKeyLength, WithPreKey(PreKeyBody(identityKey[..127], baseKey, 1, 2, 3, kemCiphertext, ratchet)));
        Add("envelope_invalid_missing_identity_key", EnvelopeFailure.InvalidIdentityKeyLength, WithPreKey(PreKeyBody(null, baseKey, 1, 2, 3, kemCiphertext, ratchet)));
        Add("envelope_invalid_base_key_33_bytes", EnvelopeFailure.InvalidBaseKeyLength, WithPreKey(PreKeyBody(identityKey, [.. baseKey, 0x00], 1, 2, 3, kemCiphertext, ratchet)));
        Add("envelope_invalid_missing_signed_prekey_id", EnvelopeFailure.InvalidPreKeyId, WithPreKey(PreKeyBody(identityKey, baseKey, null, 2, 3, kemCiphertext, ratchet)));
        Add("envelope_invalid_missing_kem_prekey_id", EnvelopeFailure.InvalidPreKeyId, WithPreKey(PreKeyBody(identityKey, baseKey, 1, 2, null, kemCiphertext, ratchet)));
        Add("envelope_invalid_zero_one_time_prekey_id_written", EnvelopeFailure.DefaultValueWritten, WithPreKey(PreKeyBody(identityKey, baseKey, 1, 0, 3, kemCiphertext, ratchet)));
        Add("envelope_invalid_kem_ciphertext_1087_bytes", EnvelopeFailure.InvalidKemCiphertextLength, WithPreKey(PreKeyBody(identityKey, baseKey, 1, 2, 3, kemCiphertext[..1087], ratchet)));
        Add("envelope_invalid_missing_ratchet_message", EnvelopeFailure.MissingRatchetMessage, WithPreKey(PreKeyBody(identityKey, baseKey, 1, 2, 3, kemCiphertext, null)));
        Add("envelope_invalid_prekey_inner_header_79_bytes", EnvelopeFailure.InvalidHeaderLength, WithPreKey(PreKeyBody(identityKey, baseKey, 1, 2, 3, kemCiphertext, RatchetBody(header[..79], ciphertext))));

        // Ratchet messages.
        Add("envelope_invalid_header_79_bytes", EnvelopeFailure.InvalidHeaderLength, WithRatchet(RatchetBody(header[..79], ciphertext)));
        Add("envelope_invalid_empty_ratchet_message", EnvelopeFailure.InvalidHeaderLength, WithRatchet([]));
        Add("envelope_invalid_ciphertext_not_bucket", EnvelopeFailure.InvalidCiphertextLength, WithRatchet(RatchetBody(header, [.. ciphertext, 0x00])));
        Add("envelope_invalid_ciphertext_without_tag", EnvelopeFailure.InvalidCiphertextLength, WithRatchet(RatchetBody(header, ciphertext[..64])));
        Add("envelope_invalid_ciphertext_tag_only", EnvelopeFailure.InvalidCiphertextLength, WithRatchet(RatchetBody(header, ciphertext[..Aead.TagLength])));
        Add("envelope_invalid_ciphertext_between_large_buckets", EnvelopeFailure.InvalidCiphertextLength, WithRatchet(RatchetBody(header, new byte[WireLimits.PaddingStep + 4096 + Aead.TagLength])));
        Add("envelope_invalid_missing_ciphertext", EnvelopeFailure.InvalidCiphertextLength, WithRatchet(RatchetBody(header, null)));

        // Sender-key messages.
        Add("envelope_invalid_distribution_id_15_bytes", EnvelopeFailure.InvalidDistributionId, WithSenderKey(SenderKeyBody(distributionId[..15], 3, 17, null, ciphertext, signature)));
        Add("envelope_invalid_missing_chain_id", EnvelopeFailure.InvalidChainId, WithSenderKey(SenderKeyBody(distributionId, null, 17, null, ciphertext, signature)));
        Add("envelope_invalid_sender_key_ciphertext_not_bucket", EnvelopeFailure.InvalidCiphertextLength, WithSenderKey(SenderKeyBody(distributionId, 3, 17, null, ciphertext[..^1], signature)));
        Add("envelope_invalid_signature_63_bytes", EnvelopeFailure.InvalidSignatureLength, WithSenderKey(SenderKeyBody(distributionId, 3, 17, null, ciphertext, signature[..63])));
        Add("envelope_invalid_missing_signature", EnvelopeFailure.InvalidSignatureLength, WithSenderKey(SenderKeyBody(distributionId, 3, 17, null, ciphertext, null)));

        // Category (field 10): exactly on a business's pre-key or ratchet envelope to a person.
        byte[] fromBusiness = BytesField(3, AddressBody("shop.example_2-b", 7, 2));
        byte[] toPerson = BytesField(4, AddressBody("alice", 1, 1));
        byte[] businessToPerson = Concat(version, type, fromBusiness, toPerson, id, timestamp, content);
        if (EnvelopeValidator.Validate(Concat(businessToPerson, VarintField(10, 3))) != EnvelopeFailure.None)
        {
            throw new InvalidOperationException("The hand-built business envelope is not valid.");
        }

        Add("envelope_invalid_category_missing_business_to_person", EnvelopeFailure.MissingCategory, businessToPerson);
        Add("envelope_invalid_category_missing_business_prekey", EnvelopeFailure.MissingCategory, Concat(version, VarintField(2, 1), fromBusiness, toPerson, id, timestamp, BytesField(7, preKey)));
        Add("envelope_invalid_category_on_person_to_business", EnvelopeFailure.UnexpectedCategory, Concat(valid, VarintField(10, 1)));
        Add("envelope_invalid_category_on_business_sender_key", EnvelopeFailure.UnexpectedCategory, Concat(version, VarintField(2, 3), fromBusiness, toPerson, id, timestamp, BytesField(9, senderKey), VarintField(10, 3)));
        Add("envelope_invalid_category_on_business_to_business", EnvelopeFailure.UnexpectedCategory, Concat(version, type, fromBusiness, recipient, id, timestamp, content, VarintField(10, 2)));
        Add("envelope_invalid_category_5", EnvelopeFailure.InvalidCategory, Concat(businessToPerson, VarintField(10, 5)));
        Add("envelope_invalid_category_above_u32", EnvelopeFailure.InvalidCategory, Concat(businessToPerson, VarintField(10, 1UL << 32)));
        Add("envelope_invalid_category_5_on_person_to_business", EnvelopeFailure.InvalidCategory, Concat(valid, VarintField(10, 5)));
        Add("envelope_invalid_category_zero_written", EnvelopeFailure.DefaultValueWritten, Concat(businessToPerson, VarintField(10, 0)));
        Add("envelope_invalid_category_before_content", EnvelopeFailure.FieldsOutOfOrder, Concat(version, type, fromBusiness, toPerson, id, timestamp, VarintField(10, 3), content));
        Add("envelope_invalid_category_twice", EnvelopeFailure.DuplicateField, Concat(businessToPerson, VarintField(10, 3), VarintField(10, 3)));

        // Boundaries and the order of the steps of section 8 (issue 18): added last, so that the
        // vectors above keep their bytes.
        byte[] tenContinuationBytes = NonCanonicalVarints.Unterminated(10);
        Add("envelope_invalid_exactly_max_length_is_read", EnvelopeFailure.InvalidCiphertextLength, OfLength(WireLimits.MaxEnvelopeLength, length => WithRatchet(RatchetBody(header, new byte[length]))));
        Add("envelope_invalid_tag_above_2_32_minus_1", EnvelopeFailure.MalformedVarint, Concat(Varint((1UL << 35) | 8), Varint(1), valid));
        Add("envelope_invalid_tag_2_32_minus_1_unknown_field", EnvelopeFailure.UnknownField, Concat(Varint(uint.MaxValue), valid));
        Add("envelope_invalid_unknown_field_fixed32", EnvelopeFailure.UnknownField, Concat(valid, Tag(15, 5), [1, 2, 3, 4]));
        Add("envelope_invalid_duplicate_before_wrong_wire_type", EnvelopeFailure.DuplicateField, Concat(version, BytesField(1, [1]), type, sender, recipient, id, timestamp, content));
        Add("envelope_invalid_out_of_order_before_wrong_wire_type", EnvelopeFailure.FieldsOutOfOrder, Concat(version, type, sender, BytesField(2, [2]), recipient, id, timestamp, content));
        Add("envelope_invalid_wrong_wire_type_before_missing", EnvelopeFailure.WrongWireType, Concat(version, type, VarintField(4, 1), id, timestamp, content));
        Add("envelope_invalid_content_mismatch_before_value", EnvelopeFailure.ContentMismatch, Concat(version, type, sender, recipient, id, timestamp, Tag(7, 2), Varint(16)));
        Add("envelope_invalid_value_ten_continuation_bytes_then_end", EnvelopeFailure.MalformedVarint, Concat(version, type, sender, recipient, id, Tag(6, 0), tenContinuationBytes));
        Add("envelope_invalid_value_nine_continuation_bytes_then_end", EnvelopeFailure.Truncated, Concat(version, type, sender, recipient, id, Tag(6, 0), tenContinuationBytes[..9]));
        Add("envelope_invalid_tag_ten_continuation_bytes_then_end", EnvelopeFailure.MalformedVarint, Concat(valid, tenContinuationBytes));
        Add("envelope_invalid_tag_nine_continuation_bytes_then_end", EnvelopeFailure.Truncated, Concat(valid, tenContinuationBytes[..9]));
    }

    /// <summary>Builds an envelope of exactly <paramref name="target"/> bytes by growing one field.</summary>
    private static byte[] OfLength(int target, Func<int, byte[]> build)
    {
        int length = target;
        for (int attempt = 0; attempt < 8; attempt++)
        {
            byte[] envelope = build(length);
            if (envelope.Length == target)
            {
                return envelope;
            }

            length += target - envelope.Length;
        }

        throw new InvalidOperationException($"No envelope of {target} bytes.");
    }

    /// <summary>The real messages the valid and invalid envelopes are built from.</summary>
    private sealed record Messages(CiphertextMessage PreKey, CiphertextMessage PreKeyWithoutOneTime, CiphertextMessage Ratchet, CiphertextMessage LargestRatchet);
}
