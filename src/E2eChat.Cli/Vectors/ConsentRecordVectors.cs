using System.Text;
using E2eChat.Wire;
using Key = NSec.Cryptography.Key;
using SignatureAlgorithm = NSec.Cryptography.SignatureAlgorithm;
using static E2eChat.Cli.Vectors.ProtoBytes;

namespace E2eChat.Cli.Vectors;

/// <summary>
/// <c>consent-records.json</c>: signed consent records of every action (PROTOCOL.md 16.2) from fixed
/// account seeds, and records a reader, verifier or pair state must refuse, with the
/// <see cref="ConsentFailure"/> of the first rule broken (steps 1 to 8).
/// </summary>
internal sealed class ConsentRecordVectors() : SynchronousVectorSuite(File)
{
    private const string File = "consent-records.json";
    private const ulong Issued = VectorClock.Start;
    private const ulong Month = 30UL * 24 * 60 * 60 * 1000;

    /// <inheritdoc/>
    private protected override List<JsonObject> Generate()
    {
        byte[] alice = VectorSeeds.Seed(File, "alice-account");
        byte[] mallory = VectorSeeds.Seed(File, "mallory-account");
        var vectors = new List<JsonObject>
        {
            Valid("grant_utility_marketing_expiring", alice, new ConsentRecord("alice", "acme.shoes", ConsentAction.Grant, ConsentScopes.Utility | ConsentScopes.Marketing, 1, Issued, Issued + Month)),
            Valid("grant_all_no_expiry", alice, new ConsentRecord("alice", "acme.shoes", ConsentAction.Grant, ConsentScopes.All, 7, Issued, 0)),
            Valid("revoke", alice, new ConsentRecord("alice", "acme.shoes", ConsentAction.Revoke, ConsentScopes.None, 2, Issued + 1)),
            Valid("block", alice, new ConsentRecord("alice", "acme.shoes", ConsentAction.Block, ConsentScopes.None, 3, Issued + 2)),
            Valid("unblock", alice, new ConsentRecord("alice", "acme.shoes", ConsentAction.Unblock, ConsentScopes.None, 4, Issued + 3)),
            Valid("long_names_large_values", alice, new ConsentRecord(new string('a', 64), "b.-_0123456789" + new string('z', 50), ConsentAction.Grant, ConsentScopes.Authentication, ulong.MaxValue, ulong.MaxValue - 1, ulong.MaxValue)),
        };

        byte[] aliceKey = PublicKeyOf(alice);
        byte[] malloryKey = PublicKeyOf(mallory);
        var grant = new ConsentRecord("alice", "acme.shoes", ConsentAction.Grant, ConsentScopes.Utility, 5, Issued, Issued + Month);
        byte[] grantBytes = WireConsentRecord.WriteRecord(grant);
        byte[] grantSignature = Sign(alice, grantBytes);
        byte[] good = WireConsentRecord.WriteSigned(aliceKey, grantBytes, grantSignature);

        // Records with hand-made (possibly invalid) fields, signed by alice so only the named rule fails.
        byte[] SignedRecord(byte[] record) => Concat(BytesField(1, aliceKey), BytesField(2, record), BytesField(3, Sign(alice, record)));
        static byte[] Record(string? customer = "alice", string? business = "acme.shoes", ulong? action = 1, ulong? scopes = 2, ulong? serial = 5, ulong? issued = Issued, ulong? expires = null) =>
            Concat(
                customer is null ? [] : BytesField(1, Encoding.UTF8.GetBytes(customer)),
                business is null ? [] : BytesField(2, Encoding.UTF8.GetBytes(business)),
                VarintField(3, action),
                VarintField(4, scopes),
                VarintField(5, serial),
                VarintField(6, issued),
                VarintField(7, expires));

        void Invalid(string name, byte[] signedRecord, ConsentFailure failure, byte[]? knownKey = null, string pairCustomer = "alice", string pairBusiness = "acme.shoes", ulong stateSerial = 0)
        {
            JsonObject vector = Check(new JsonObject
            {
                ["name"] = name,
                ["kind"] = "consent_record_invalid",
                ["signed_record"] = Hex.Encode(signedRecord),
                ["customer_account_key"] = Hex.Encode(knownKey ?? aliceKey),
                ["pair_customer"] = pairCustomer,
                ["pair_business"] = pairBusiness,
                ["state_serial"] = stateSerial,
                ["failure"] = failure.ToString(),
            });
            vectors.Add(vector);
        }

        Invalid("too_large", [.. good, .. new byte[WireConsentRecord.MaxLength + 1 - good.Length]], ConsentFailure.TooLarge);
        Invalid("truncated_signature", good[..^1], ConsentFailure.Truncated);
        Invalid("truncated_inside_record", Concat(BytesField(1, aliceKey), [.. Tag(2, 2), .. Varint((ulong)grantBytes.Length)], grantBytes[..4]), ConsentFailure.Truncated);
        Invalid("name_length_past_record", Concat(BytesField(1, aliceKey), BytesField(2, [.. Tag(1, 2), 0x05, .. "ali"u8]), BytesField(3, grantSignature)), ConsentFailure.Truncated);
        Invalid("non_minimal_length", Concat([.. Tag(1, 2), .. NonCanonicalVarints.NotMinimal(32)], aliceKey, BytesField(2, grantBytes), BytesField(3, grantSignature)), ConsentFailure.MalformedVarint);
        Invalid("non_minimal_serial", SignedRecord(Concat(Record(serial: null, issued: null), [.. Tag(5, 0), .. NonCanonicalVarints.NotMinimal(5)], VarintField(6, Issued))), ConsentFailure.MalformedVarint);
        Invalid("scopes_above_u32", SignedRecord(Record(scopes: 1UL << 32)), ConsentFailure.MalformedVarint);
        Invalid("account_key_as_varint", Concat(VarintField(1, 5), BytesField(2, grantBytes), BytesField(3, grantSignature)), ConsentFailure.WrongWireType);
        Invalid("action_as_bytes", SignedRecord(Concat(Record(action: null, scopes: null, serial: null, issued: null), BytesField(3, [1]), VarintField(4, 2), VarintField(5, 5), VarintField(6, Issued))), ConsentFailure.WrongWireType);
        Invalid("unknown_field_4_signed", Concat(good, BytesField(4, [1])), ConsentFailure.UnknownField);
        Invalid("unknown_field_8_record", SignedRecord(Concat(Record(), VarintField(8, 1))), ConsentFailure.UnknownField);
        Invalid("field_0", Concat(VarintField(0, 1), good), ConsentFailure.UnknownField);
        Invalid("duplicate_account_key", Concat(BytesField(1, aliceKey), BytesField(1, aliceKey), BytesField(2, grantBytes), BytesField(3, grantSignature)), ConsentFailure.DuplicateField);
        Invalid("duplicate_serial", SignedRecord(Concat(Record(issued: null), VarintField(5, 6), VarintField(6, Issued))), ConsentFailure.DuplicateField);
        Invalid("record_before_account_key", Concat(BytesField(2, grantBytes), BytesField(1, aliceKey), BytesField(3, grantSignature)), ConsentFailure.InvalidAccountKey);
        Invalid("record_after_signature", Concat(good, BytesField(2, grantBytes)), ConsentFailure.FieldsOutOfOrder);
        Invalid("serial_before_action", SignedRecord(Concat(Record(action: null, scopes: null, serial: 5, issued: null), VarintField(3, 2))), ConsentFailure.InvalidAction);
        Invalid("action_after_issued_at", SignedRecord(Concat(Record(), VarintField(3, 2))), ConsentFailure.FieldsOutOfOrder);
        Invalid("serial_zero_written", SignedRecord(Concat(Record(serial: null, issued: null), [.. Tag(5, 0), 0x00], VarintField(6, Issued))), ConsentFailure.DefaultValueWritten);
        Invalid("empty_record", Concat(BytesField(1, aliceKey), [.. Tag(2, 2), 0x00], BytesField(3, grantSignature)), ConsentFailure.DefaultValueWritten);
        Invalid("account_key_31", Concat(BytesField(1, aliceKey[..31]), BytesField(2, grantBytes), BytesField(3, grantSignature)), ConsentFailure.InvalidAccountKey);
        Invalid("account_key_missing", Concat(BytesField(2, grantBytes), BytesField(3, grantSignature)), ConsentFailure.InvalidAccountKey);
        Invalid("record_missing", Concat(BytesField(1, aliceKey), BytesField(3, grantSignature)), ConsentFailure.MissingRecord);
        Invalid("signature_63", Concat(BytesField(1, aliceKey), BytesField(2, grantBytes), BytesField(3, grantSignature[..63])), ConsentFailure.InvalidSignatureLength);
        Invalid("signature_missing", Concat(BytesField(1, aliceKey), BytesField(2, grantBytes)), ConsentFailure.InvalidSignatureLength);
        Invalid("customer_uppercase", SignedRecord(Record(customer: "Alice")), ConsentFailure.InvalidCustomer);
        Invalid("customer_65_chars", SignedRecord(Record(customer: new string('a', 65))), ConsentFailure.InvalidCustomer);
        Invalid("customer_missing", SignedRecord(Record(customer: null)), ConsentFailure.InvalidCustomer);
        Invalid("business_non_ascii", SignedRecord(Record(business: "acmé")), ConsentFailure.InvalidBusiness);
        Invalid("business_is_customer", SignedRecord(Record(business: "alice")), ConsentFailure.InvalidBusiness);
        Invalid("business_missing", SignedRecord(Record(business: null)), ConsentFailure.InvalidBusiness);
        Invalid("action_5", SignedRecord(Record(action: 5, scopes: null)), ConsentFailure.InvalidAction);
        Invalid("action_missing", SignedRecord(Record(action: null, scopes: null)), ConsentFailure.InvalidAction);
        Invalid("scopes_bit_16", SignedRecord(Record(scopes: 16)), ConsentFailure.InvalidScopes);
        Invalid("scopes_on_revoke", SignedRecord(Record(action: 2, scopes: 4)), ConsentFailure.UnexpectedScopes);
        Invalid("grant_without_scopes", SignedRecord(Record(scopes: null)), ConsentFailure.MissingScopes);
        Invalid("grant_without_scopes_at_end", SignedRecord(Record(scopes: null, serial: null, issued: null)), ConsentFailure.MissingScopes);
        Invalid("serial_missing", SignedRecord(Record(serial: null)), ConsentFailure.MissingSerial);
        Invalid("issued_at_missing", SignedRecord(Record(issued: null)), ConsentFailure.MissingIssuedAt);
        Invalid("issued_at_missing_before_expiry", SignedRecord(Record(issued: null, expires: Issued + 1)), ConsentFailure.MissingIssuedAt);
        Invalid("expiry_on_block", SignedRecord(Record(action: 3, scopes: null, expires: Issued + Month)), ConsentFailure.UnexpectedExpiry);
        Invalid("expiry_equals_issued", SignedRecord(Record(expires: Issued)), ConsentFailure.InvalidExpiry);
        Invalid("expiry_before_issued", SignedRecord(Record(expires: Issued - 1)), ConsentFailure.InvalidExpiry);
        Invalid("signature_bit_flipped", Concat(BytesField(1, aliceKey), BytesField(2, grantBytes), BytesField(3, Flip(grantSignature, 10))), ConsentFailure.BadSignature);
        Invalid("record_changed_after_signing", Concat(BytesField(1, aliceKey), BytesField(2, WireConsentRecord.WriteRecord(new ConsentRecord("alice", "acme.shoes", ConsentAction.Grant, ConsentScopes.All, 5, Issued, Issued + Month))), BytesField(3, grantSignature)), ConsentFailure.BadSignature);
        Invalid("signed_without_label", Concat(BytesField(1, aliceKey), BytesField(2, grantBytes), BytesField(3, SignRaw(alice, grantBytes))), ConsentFailure.BadSignature);
        Invalid("other_key_named_as_signer", Concat(BytesField(1, aliceKey), BytesField(2, grantBytes), BytesField(3, Sign(mallory, grantBytes))), ConsentFailure.BadSignature);
        Invalid("small_order_account_key", Concat(BytesField(1, [1, .. new byte[31]]), BytesField(2, grantBytes), BytesField(3, grantSignature)), ConsentFailure.BadSignature);
        Invalid("unknown_account_key", good, ConsentFailure.UnknownAccountKey, knownKey: []);
        Invalid("signed_by_someone_else", Concat(BytesField(1, malloryKey), BytesField(2, grantBytes), BytesField(3, Sign(mallory, grantBytes))), ConsentFailure.WrongSigner);
        Invalid("block_for_wrong_business", good, ConsentFailure.WrongPair, pairBusiness: "other.shop");
        Invalid("grant_for_wrong_customer", good, ConsentFailure.WrongPair, pairCustomer: "bob");
        Invalid("serial_replayed", good, ConsentFailure.StaleSerial, stateSerial: 5);
        Invalid("serial_older", good, ConsentFailure.StaleSerial, stateSerial: 9);
        return vectors;
    }

    /// <inheritdoc/>
    private protected override void Verify(string kind, string name, JsonObject vector)
    {
        switch (kind)
        {
            case "consent_record":
                byte[] seed = VectorJson.Bytes(vector, "account_seed");
                var record = new ConsentRecord(
                    VectorJson.String(vector, "customer"),
                    VectorJson.String(vector, "business"),
                    Enum.Parse<ConsentAction>(VectorJson.String(vector, "action"), ignoreCase: true),
                    (ConsentScopes)VectorJson.UInt32(vector, "scopes"),
                    UInt64(vector, "serial"),
                    UInt64(vector, "issued_at_ms"),
                    UInt64(vector, "expires_at_ms"));
                Outputs.Compare(vector, Valid(name, seed, record));
                break;
            case "consent_record_invalid":
                Check(vector);
                break;
            default:
                throw UnknownKind(kind);
        }
    }

    /// <summary>Steps 1 to 8 of section 16.2 as a relay runs them: read, verify, signer, pair, serial.</summary>
    internal static ConsentFailure Evaluate(ReadOnlySpan<byte> signedRecord, ReadOnlySpan<byte> customerAccountKey, string pairCustomer, string pairBusiness, ulong stateSerial)
    {
        if (!WireConsentRecord.TryRead(signedRecord, out SignedConsentRecordView view, out ConsentFailure failure))
        {
            return failure;
        }

        if (!Ed25519.Verify(signedRecord[view.AccountKey], WireConsentRecord.Label, signedRecord[view.Record], signedRecord[view.Signature]))
        {
            return ConsentFailure.BadSignature;
        }

        if (customerAccountKey.IsEmpty)
        {
            return ConsentFailure.UnknownAccountKey;
        }

        if (!customerAccountKey.SequenceEqual(signedRecord[view.AccountKey]))
        {
            return ConsentFailure.WrongSigner;
        }

        ConsentRecord record = view.ToRecord(signedRecord);
        ConsentState state = stateSerial == 0 ? default : new ConsentState(stateSerial, ConsentAction.Revoke, false, ConsentScopes.None, 0, 0);
        return record.ApplyTo(pairCustomer, pairBusiness, state, out _);
    }

    private static JsonObject Check(JsonObject vector)
    {
        ConsentFailure actual = Evaluate(
            VectorJson.Bytes(vector, "signed_record"),
            VectorJson.Bytes(vector, "customer_account_key"),
            VectorJson.String(vector, "pair_customer"),
            VectorJson.String(vector, "pair_business"),
            UInt64(vector, "state_serial"));
        Expect.Failure(VectorJson.String(vector, "failure"), actual.ToString());
        return vector;
    }

    private static JsonObject Valid(string name, byte[] seed, ConsentRecord record)
    {
        byte[] accountKey = PublicKeyOf(seed);
        byte[] encoded = WireConsentRecord.WriteRecord(record);
        byte[] signature = Sign(seed, encoded);
        byte[] signedRecord = WireConsentRecord.WriteSigned(accountKey, encoded, signature);
        ConsentFailure failure = Evaluate(signedRecord, accountKey, record.Customer, record.Business, 0);
        if (failure != ConsentFailure.None || !WireConsentRecord.TryRead(signedRecord, out SignedConsentRecordView view, out _) || !view.ToRecord(signedRecord).Equals(record))
        {
            throw new InvalidOperationException($"{name}: the record does not read back ({failure}).");
        }

        return new JsonObject
        {
            ["name"] = name,
            ["kind"] = "consent_record",
            ["account_seed"] = Hex.Encode(seed),
            ["customer"] = record.Customer,
            ["business"] = record.Business,
            ["action"] = record.Action.ToString().ToUpperInvariant(),
            ["scopes"] = (uint)record.Scopes,
            ["serial"] = U64Json(record.Serial),
            ["issued_at_ms"] = U64Json(record.IssuedAtMilliseconds),
            ["expires_at_ms"] = U64Json(record.ExpiresAtMilliseconds),
            ["account_key"] = Hex.Encode(accountKey),
            ["record"] = Hex.Encode(encoded),
            ["signature"] = Hex.Encode(signature),
            ["signed_record"] = Hex.Encode(signedRecord),
        };
    }

    private static JsonValue U64Json(ulong value) =>
        value < (1UL << 53) ? JsonValue.Create(value) : JsonValue.Create(value.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private static ulong UInt64(JsonObject vector, string field) =>
        vector[field]?.GetValueKind() == System.Text.Json.JsonValueKind.String
            ? ulong.Parse(VectorJson.String(vector, field), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture)
            : VectorJson.UInt64(vector, field);

    private static byte[] PublicKeyOf(byte[] seed)
    {
        using Key key = Ed25519.ImportSeed(seed);
        byte[] publicKey = new byte[Ed25519.PublicKeyLength];
        Ed25519.GetPublicKey(key, publicKey);
        return publicKey;
    }

    private static byte[] Sign(byte[] seed, byte[] record)
    {
        using Key key = Ed25519.ImportSeed(seed);
        byte[] signature = new byte[Ed25519.SignatureLength];
        Ed25519.Sign(key, WireConsentRecord.Label, record, signature);
        return signature;
    }

    // A signature over the record alone (no label): must not verify as a consent signature.
    private static byte[] SignRaw(byte[] seed, byte[] record)
    {
        using Key key = Ed25519.ImportSeed(seed);
        return SignatureAlgorithm.Ed25519.Sign(key, record);
    }

    private static byte[] Flip(byte[] bytes, int index)
    {
        byte[] copy = [.. bytes];
        copy[index] ^= 0x01;
        return copy;
    }
}
