using System.Numerics;
using Google.Protobuf;
using static E2eChat.Cli.Vectors.ProtoBytes;

namespace E2eChat.Cli.Vectors;

/// <summary>
/// <c>keys.json</c>: identities, bundles, invalid identities and bundles, invalid X25519 public keys
/// and safety numbers (PROTOCOL.md 1 and 3).
/// </summary>
internal sealed class KeyVectors() : SynchronousVectorSuite(File)
{
    internal const string File = "keys.json";
    private const string InvalidIdentityKey = "InvalidIdentityKey";

    /// <summary>The five canonical low-order X25519 points of PROTOCOL.md section 1.</summary>
    internal static readonly string[] LowOrderPoints =
    [
        "0000000000000000000000000000000000000000000000000000000000000000",
        "0100000000000000000000000000000000000000000000000000000000000000",
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
        "5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157",
    ];

    /// <inheritdoc/>
    private protected override List<JsonObject> Generate()
    {
        var vectors = new List<JsonObject>();
        AddIdentities(vectors);
        AddInvalidIdentities(vectors);
        AddBundles(vectors);
        AddInvalidBundles(vectors);
        AddInvalidX25519(vectors);
        AddSafetyNumbers(vectors);
        AddNonCanonicalBundles(vectors);
        AddQrMatches(vectors);
        Ed25519EdgeVectors.Add(vectors);
        MixedOrderKeyVectors.Add(vectors);
        return vectors;
    }

    /// <inheritdoc/>
    private protected override void Verify(string kind, string name, JsonObject vector)
    {
        switch (kind)
        {
            case "identity":
                Outputs.Compare(vector, Identity(name, PartyKeys.ReadIdentity(vector)));
                Expect.True(IdentityKey.TryParse(VectorJson.Bytes(vector, "identity_key"), out _, out _), "identity_key: refused by IdentityKey.TryParse");
                break;
            case "identity_invalid":
                Outputs.Compare(vector, InvalidIdentity(name, VectorJson.Bytes(vector, "identity_key")));
                break;
            case "identity_accepted":
                Outputs.Compare(vector, MixedOrderKeyVectors.AcceptedIdentity(name, VectorJson.Bytes(vector, "identity_key")));
                break;
            case "bundle":
                PartyKeys keys = PartyKeys.Read(VectorJson.Object(vector, "identity"), vector);
                Outputs.Compare(vector, Bundle(name, keys));
                byte[] bundle = VectorJson.Bytes(vector, "bundle");
                Expect.True(PreKeyBundle.TryParse(bundle, out PreKeyBundle? parsed, out E2eChatFailure failure), $"bundle: refused with {failure}");
                Expect.Equal("bundle (re-encoded)", bundle, parsed!.ToBytes());
                break;
            case "bundle_invalid":
                Outputs.Compare(vector, InvalidBundle(name, VectorJson.Bytes(vector, "bundle")));
                break;
            case "x25519_public_invalid":
                Outputs.Compare(vector, InvalidX25519(name, VectorJson.Bytes(vector, "public_key")));
                break;
            case "safety_number":
                Outputs.Compare(vector, Safety(name, NamedIdentities.Read(vector)));
                break;
            case "qr_match":
                Outputs.Compare(vector, QrMatch(name, NamedIdentities.Read(vector), VectorJson.Bytes(vector, "qr_scanned")));
                break;
            default:
                throw UnknownKind(kind);
        }
    }

    /// <summary>
    /// Section 3.4 step 1: a bundle whose field values are all valid but whose bytes are not the
    /// canonical encoding is <c>Malformed</c> (a general proto3 parser would accept each of these).
    /// </summary>
    private static void AddNonCanonicalBundles(List<JsonObject> vectors)
    {
        using DeterministicRandomSource random = VectorSeeds.For(File, "bundle_invalid_non_canonical");
        PartyKeys keys = PartyKeys.DrawWithPreKeys(random, 7, 0, 9, kemLastResort: false);
        using IdentityKeyPair identity = keys.CreateIdentity();
        Wire.Proto.PreKeyBundle m = keys.CreateBundle(identity).ToMessage();

        // The encoding of each field present, in field order: 1, 2, 3, 4, 7, 9, 10 (no one-time
        // pre-key, kem_prekey_last_resort false).
        List<byte[]> Fields() =>
        [
            .. new Wire.Proto.PreKeyBundle[]
            {
                new() { IdentityKey = m.IdentityKey },
                new() { SignedPrekeyId = m.SignedPrekeyId },
                new() { SignedPrekey = m.SignedPrekey },
                new() { SignedPrekeySignature = m.SignedPrekeySignature },
                new() { KemPrekeyId = m.KemPrekeyId },
                new() { KemPrekey = m.KemPrekey },
                new() { KemPrekeySignature = m.KemPrekeySignature },
            }.Select(f => f.ToByteArray()),
        ];
        byte[] With(int index, int remove, params byte[][] insert)
        {
            List<byte[]> fields = Fields();
            fields.RemoveRange(index, remove);
            fields.InsertRange(index, insert);
            return Concat([.. fields]);
        }

        if (!With(0, 0).AsSpan().SequenceEqual(m.ToByteArray()) || !PreKeyBundle.TryParse(With(0, 0), out _, out _))
        {
            throw new InvalidOperationException("The field encodings do not join to the valid bundle.");
        }

        void Add(string name, byte[] bytes) => vectors.Add(Expect.Fails(InvalidBundle(name, bytes), nameof(E2eChatFailure.Malformed)));

        Add("bundle_invalid_unknown_field", With(7, 0, VarintField(11, 1)));
        Add("bundle_invalid_unknown_field_fixed64", With(4, 0, [0x79, 1, 2, 3, 4, 5, 6, 7, 8]));
        Add("bundle_invalid_repeated_field", With(7, 0, Fields()[6]));
        Add("bundle_invalid_fields_out_of_order", With(0, 2, Fields()[1], Fields()[0]));
        Add("bundle_invalid_id_wrong_wire_type", With(1, 1, BytesField(2, [0x07])));
        Add("bundle_invalid_id_not_minimal", With(1, 1, [0x10, 0x87, 0x00]));
        Add("bundle_invalid_id_above_2_32_minus_1", With(1, 1, VarintField(2, (1UL << 32) | 7)));
        Add("bundle_invalid_tag_not_minimal", With(1, 1, [0x90, 0x00, 0x07]));
        Add("bundle_invalid_zero_one_time_prekey_id_written", With(4, 0, [0x28, 0x00]));
        Add("bundle_invalid_empty_one_time_prekey_written", With(4, 0, [0x32, 0x00]));
        Add("bundle_invalid_last_resort_false_written", With(5, 0, [0x40, 0x00]));
        Add("bundle_invalid_last_resort_2", With(5, 0, [0x40, 0x02]));
        Add("bundle_invalid_length_not_minimal", With(3, 1, [0x22, 0xc0, 0x00, .. m.SignedPrekeySignature.Span]));
    }

    /// <summary>Section 3.5: when a scanned QR payload matches ours (A's side), and every way it does not.</summary>
    private static void AddQrMatches(List<JsonObject> vectors)
    {
        using DeterministicRandomSource random = VectorSeeds.For(File, "qr_match");
        using IdentityKeyPair a = PartyKeys.DrawIdentity(random).CreateIdentity();
        using IdentityKeyPair b = PartyKeys.DrawIdentity(random).CreateIdentity();
        using IdentityKeyPair c = PartyKeys.DrawIdentity(random).CreateIdentity();
        byte[] ia = a.PublicKey.ToBytes();
        byte[] ib = b.PublicKey.ToBytes();
        byte[] ours = SafetyNumber.Create("alice", a.PublicKey, "bob", b.PublicKey).ToQrPayload();
        byte[] theirs = SafetyNumber.Create("bob", b.PublicKey, "alice", a.PublicKey).ToQrPayload();
        byte[] impostor = SafetyNumber.Create("bob", c.PublicKey, "alice", a.PublicKey).ToQrPayload();
        byte[] otherName = SafetyNumber.Create("bob.work", b.PublicKey, "alice", a.PublicKey).ToQrPayload();
        byte[] version2 = [0x02, .. theirs.AsSpan(1)];

        void Add(string name, byte[] scanned, bool matches)
        {
            JsonObject vector = QrMatch(name, new NamedIdentities(ia, "alice", ib, "bob"), scanned);
            Expect.True(VectorJson.Bool(vector, "matches") == matches, $"{name}: expected matches = {matches}");
            vectors.Add(vector);
        }

        Add("qr_match_peer_payload", theirs, true);
        Add("qr_match_own_payload", ours, false);
        Add("qr_match_other_identity", impostor, false);
        Add("qr_match_other_name", otherName, false);
        Add("qr_match_version_2", version2, false);
        Add("qr_match_64_bytes", theirs[..64], false);
        Add("qr_match_66_bytes", [.. theirs, 0x00], false);
        Add("qr_match_empty", [], false);
    }

    private static JsonObject QrMatch(string name, NamedIdentities identities, byte[] scanned)
    {
        SafetyNumber number = SafetyNumber.Create(identities.NameA, IdentityKey.Parse(identities.IdentityA), identities.NameB, IdentityKey.Parse(identities.IdentityB));
        JsonObject vector = identities.Vector(name, "qr_match");
        vector["qr_scanned"] = Hex.Encode(scanned);
        vector["matches"] = number.MatchesQrPayload(scanned);
        return vector;
    }

    private static void AddIdentities(List<JsonObject> vectors)
    {
        foreach (string name in new[] { "identity_1", "identity_2", "identity_3" })
        {
            using DeterministicRandomSource random = VectorSeeds.For(File, name);
            vectors.Add(Identity(name, PartyKeys.DrawIdentity(random)));
        }

        vectors.Add(Identity("identity_zero_inputs", PartyKeys.FromIdentity(new byte[Ed25519.SeedLength], new byte[X25519.KeyLength])));
    }

    private static void AddInvalidIdentities(List<JsonObject> vectors)
    {
        using DeterministicRandomSource random = VectorSeeds.For(File, "identity_invalid");
        using IdentityKeyPair identity = PartyKeys.DrawIdentity(random).CreateIdentity();
        using IdentityKeyPair other = PartyKeys.DrawIdentity(random).CreateIdentity();
        byte[] valid = identity.PublicKey.ToBytes();
        byte[] signingKey = valid[..32];
        byte[] agreementKey = valid[32..64];
        byte[] bind = valid[64..];

        void Add(string name, byte[] bytes) => vectors.Add(Expect.Fails(InvalidIdentity(name, bytes), InvalidIdentityKey));

        Add("identity_invalid_empty", []);
        Add("identity_invalid_length_127", valid[..127]);
        Add("identity_invalid_length_129", [.. valid, 0x00]);
        foreach ((string point, int i) in LowOrderPoints.Select((p, i) => (p, i)))
        {
            // Correctly bound to the signing key: only the agreement key is wrong.
            byte[] lowOrder = Convert.FromHexString(point);
            Add($"identity_invalid_low_order_agreement_key_{i}", [.. signingKey, .. lowOrder, .. Sign(identity, ProtocolLabels.IdentityDhKey, lowOrder)]);
        }

        byte[] topBit = (byte[])agreementKey.Clone();
        topBit[31] |= 0x80;
        Add("identity_invalid_non_canonical_agreement_key", [.. signingKey, .. topBit, .. Sign(identity, ProtocolLabels.IdentityDhKey, topBit)]);
        byte[] flipped = (byte[])bind.Clone();
        flipped[10] ^= 0x01;
        Add("identity_invalid_bad_signature", [.. signingKey, .. agreementKey, .. flipped]);
        Add("identity_invalid_signed_by_other_key", [.. signingKey, .. agreementKey, .. Sign(other, ProtocolLabels.IdentityDhKey, agreementKey)]);
        Add("identity_invalid_agreement_key_swapped", [.. signingKey, .. other.PublicKey.AsSpan()[32..64], .. bind]);
        Add("identity_invalid_wrong_signature_label", [.. signingKey, .. agreementKey, .. Sign(identity, ProtocolLabels.SignedPreKey, agreementKey)]);

        // Strict verification: S must be below L (a lax verifier accepts S + L).
        Add("identity_invalid_signature_s_not_reduced", [.. signingKey, .. agreementKey, .. bind[..32], .. AddGroupOrder(bind[32..])]);

        // Strict verification: a small-order signing key is refused. With A = R = the identity point
        // and S = 0 the (cofactored or not) verification equation holds for every message.
        byte[] identityPoint = new byte[32];
        identityPoint[0] = 0x01;
        Add("identity_invalid_small_order_signing_key", [.. identityPoint, .. agreementKey, .. identityPoint, .. new byte[32]]);
    }

    private static void AddBundles(List<JsonObject> vectors)
    {
        foreach ((string name, bool oneTime, bool lastResort) in new[]
        {
            ("bundle_one_time_prekey_one_time_kem", true, false),
            ("bundle_one_time_prekey_last_resort_kem", true, true),
            ("bundle_no_one_time_prekey_one_time_kem", false, false),
            ("bundle_no_one_time_prekey_last_resort_kem", false, true),
        })
        {
            using DeterministicRandomSource random = VectorSeeds.For(File, name);
            vectors.Add(Bundle(name, PartyKeys.DrawWithPreKeys(random, 1, oneTime ? 101u : 0u, 201, lastResort)));
        }

        using DeterministicRandomSource large = VectorSeeds.For(File, "bundle_max_ids");
        vectors.Add(Bundle("bundle_max_ids", PartyKeys.DrawWithPreKeys(large, uint.MaxValue, uint.MaxValue, uint.MaxValue, false)));
    }

    private static void AddInvalidBundles(List<JsonObject> vectors)
    {
        using DeterministicRandomSource random = VectorSeeds.For(File, "bundle_invalid");
        PartyKeys keys = PartyKeys.DrawWithPreKeys(random, 7, 77, 777, kemLastResort: false);
        using IdentityKeyPair identity = keys.CreateIdentity();
        using IdentityKeyPair other = PartyKeys.DrawIdentity(random).CreateIdentity();
        byte[] valid = keys.CreateBundle(identity).ToBytes();
        byte[] otherSignedPreKey = VectorBytes.X25519Public(random.Draw(32));

        void Add(string name, E2eChatFailure failure, Action<Wire.Proto.PreKeyBundle> change)
        {
            Wire.Proto.PreKeyBundle message = Wire.Proto.PreKeyBundle.Parser.ParseFrom(valid);
            change(message);
            vectors.Add(Expect.Fails(InvalidBundle(name, message.ToByteArray()), failure.ToString()));
        }

        void AddBytes(string name, E2eChatFailure failure, byte[] bytes) =>
            vectors.Add(Expect.Fails(InvalidBundle(name, bytes), failure.ToString()));

        AddBytes("bundle_invalid_truncated", E2eChatFailure.Malformed, valid[..^1]);
        AddBytes("bundle_invalid_truncated_varint", E2eChatFailure.Malformed, [0x10, 0x80]);
        AddBytes("bundle_invalid_length_beyond_end", E2eChatFailure.Malformed, [0x0a, 0x05, 0x01, 0x02]);
        Add("bundle_invalid_no_identity_key", E2eChatFailure.InvalidIdentityKey, m => m.IdentityKey = ByteString.Empty);
        Add("bundle_invalid_identity_bad_signature", E2eChatFailure.InvalidIdentityKey, m => m.IdentityKey = VectorBytes.Flip(m.IdentityKey, 100));
        Add("bundle_invalid_zero_signed_prekey_id", E2eChatFailure.InvalidKeyId, m => m.SignedPrekeyId = 0);
        Add("bundle_invalid_zero_kem_prekey_id", E2eChatFailure.InvalidKeyId, m => m.KemPrekeyId = 0);
        Add("bundle_invalid_low_order_signed_prekey", E2eChatFailure.InvalidSignedPreKey, m => m.SignedPrekey = ByteString.CopyFrom(Convert.FromHexString(LowOrderPoints[3])));
        Add("bundle_invalid_non_canonical_signed_prekey", E2eChatFailure.InvalidSignedPreKey, m => m.SignedPrekey = VectorBytes.Flip(m.SignedPrekey, 31, 0x80));
        Add("bundle_invalid_short_signed_prekey", E2eChatFailure.InvalidSignedPreKey, m => m.SignedPrekey = ByteString.CopyFrom(m.SignedPrekey.Span[..31]));
        Add("bundle_invalid_signed_prekey_bad_signature", E2eChatFailure.BadSignedPreKeySignature, m => m.SignedPrekeySignature = VectorBytes.Flip(m.SignedPrekeySignature, 5));
        Add("bundle_invalid_signed_prekey_other_id", E2eChatFailure.BadSignedPreKeySignature, m => m.SignedPrekeyId = 8);
        Add("bundle_invalid_signed_prekey_swapped", E2eChatFailure.BadSignedPreKeySignature, m => m.SignedPrekey = ByteString.CopyFrom(otherSignedPreKey));
        Add("bundle_invalid_signed_prekey_signed_by_other_identity", E2eChatFailure.BadSignedPreKeySignature, m =>
            m.SignedPrekeySignature = ByteString.CopyFrom(Sign(other, ProtocolLabels.SignedPreKey, [0, 0, 0, 7, .. m.SignedPrekey.Span])));
        Add("bundle_invalid_one_time_id_without_key", E2eChatFailure.InvalidOneTimePreKey, m => m.OneTimePrekey = ByteString.Empty);
        Add("bundle_invalid_one_time_key_without_id", E2eChatFailure.InvalidOneTimePreKey, m => m.OneTimePrekeyId = 0);
        Add("bundle_invalid_low_order_one_time_prekey", E2eChatFailure.InvalidOneTimePreKey, m => m.OneTimePrekey = ByteString.CopyFrom(Convert.FromHexString(LowOrderPoints[4])));
        Add("bundle_invalid_kem_prekey_coefficient_too_large", E2eChatFailure.InvalidKemPreKey, m =>
        {
            byte[] key = m.KemPrekey.ToByteArray();
            key[0] = 0xff;
            key[1] |= 0x0f;
            m.KemPrekey = ByteString.CopyFrom(key);
        });
        Add("bundle_invalid_short_kem_prekey", E2eChatFailure.InvalidKemPreKey, m => m.KemPrekey = ByteString.CopyFrom(m.KemPrekey.Span[..^1]));
        Add("bundle_invalid_kem_prekey_bad_signature", E2eChatFailure.BadKemPreKeySignature, m => m.KemPrekeySignature = VectorBytes.Flip(m.KemPrekeySignature, 40));
        Add("bundle_invalid_kem_prekey_kind_flipped", E2eChatFailure.BadKemPreKeySignature, m => m.KemPrekeyLastResort = true);
        Add("bundle_invalid_kem_prekey_other_id", E2eChatFailure.BadKemPreKeySignature, m => m.KemPrekeyId = 778);
    }

    private static void AddInvalidX25519(List<JsonObject> vectors)
    {
        foreach ((string point, int i) in LowOrderPoints.Select((p, i) => (p, i)))
        {
            vectors.Add(Expect.Fails(InvalidX25519($"x25519_low_order_{i}", Convert.FromHexString(point)), nameof(KeyAgreementFailure.LowOrderPublicKey)));
        }

        using DeterministicRandomSource random = VectorSeeds.For(File, "x25519_public_invalid");
        byte[] valid = VectorBytes.X25519Public(random.Draw(32));
        foreach ((string name, string hex) in new[]
        {
            ("x25519_non_canonical_p", "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"),
            ("x25519_non_canonical_p_plus_1", "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"),
            ("x25519_non_canonical_2_255_minus_1", "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"),
            ("x25519_non_canonical_top_bit_zero", "0000000000000000000000000000000000000000000000000000000000000080"),
            ("x25519_non_canonical_top_bit_one", "0100000000000000000000000000000000000000000000000000000000000080"),
            ("x25519_non_canonical_top_bit_valid_key", Hex.Encode([.. valid[..31], (byte)(valid[31] | 0x80)])),
        })
        {
            vectors.Add(Expect.Fails(InvalidX25519(name, Convert.FromHexString(hex)), nameof(KeyAgreementFailure.NonCanonicalPublicKey)));
        }

        vectors.Add(Expect.Fails(InvalidX25519("x25519_length_31", valid[..31]), nameof(KeyAgreementFailure.InvalidLength)));
        vectors.Add(Expect.Fails(InvalidX25519("x25519_length_33", [.. valid, 0x00]), nameof(KeyAgreementFailure.InvalidLength)));
    }

    private static void AddSafetyNumbers(List<JsonObject> vectors)
    {
        foreach ((string name, string nameA, string nameB) in new[]
        {
            ("safety_number_people", "alice", "bob"),
            ("safety_number_business", "carol", "shop.example_2-b"),
            ("safety_number_utf8_name", "zoë", "bob"),
        })
        {
            using DeterministicRandomSource random = VectorSeeds.For(File, name);
            using IdentityKeyPair a = PartyKeys.DrawIdentity(random).CreateIdentity();
            using IdentityKeyPair b = PartyKeys.DrawIdentity(random).CreateIdentity();
            vectors.Add(Safety(name, new NamedIdentities(a.PublicKey.ToBytes(), nameA, b.PublicKey.ToBytes(), nameB)));
        }

        // Same identity under two names: only the names differ.
        using DeterministicRandomSource same = VectorSeeds.For(File, "safety_number_same_identity");
        using IdentityKeyPair one = PartyKeys.DrawIdentity(same).CreateIdentity();
        vectors.Add(Safety("safety_number_same_identity", new NamedIdentities(one.PublicKey.ToBytes(), "dave", one.PublicKey.ToBytes(), "dave.work")));
    }

    private static JsonObject Identity(string name, PartyKeys keys)
    {
        using IdentityKeyPair identity = keys.CreateIdentity();
        return new JsonObject
        {
            ["name"] = name,
            ["kind"] = "identity",
            ["ed25519_seed"] = Hex.Encode(keys.Ed25519Seed),
            ["x25519_private"] = Hex.Encode(keys.X25519Private),
            ["identity_key"] = Hex.Encode(identity.PublicKey.AsSpan()),
        };
    }

    internal static JsonObject InvalidIdentity(string name, byte[] bytes) =>
        VectorJson.Refused(name, "identity_invalid", "identity_key", bytes, IdentityKey.TryParse(bytes, out _, out _) ? "None" : InvalidIdentityKey);

    private static JsonObject Bundle(string name, PartyKeys keys)
    {
        using IdentityKeyPair identity = keys.CreateIdentity();
        using SignedPreKey signedPreKey = keys.CreateSignedPreKey(identity);
        using OneTimePreKey? oneTimePreKey = keys.CreateOneTimePreKey();
        using KemPreKey kemPreKey = keys.CreateKemPreKey(identity);
        PreKeyBundle bundle = PreKeyBundle.Create(identity.PublicKey, signedPreKey, oneTimePreKey, kemPreKey);
        var vector = new JsonObject
        {
            ["name"] = name,
            ["kind"] = "bundle",
            ["identity"] = keys.IdentityJson(),
        };
        keys.WritePreKeys(vector);
        vector["signed_prekey"] = Hex.Encode(signedPreKey.PublicKey);
        vector["signed_prekey_signature"] = Hex.Encode(signedPreKey.Signature);
        vector["one_time_prekey"] = Hex.Encode(oneTimePreKey is null ? [] : oneTimePreKey.PublicKey);
        vector["kem_prekey"] = Hex.Encode(kemPreKey.PublicKey);
        vector["kem_prekey_signature"] = Hex.Encode(kemPreKey.Signature);
        vector["bundle"] = Hex.Encode(bundle.ToBytes());
        return vector;
    }

    private static JsonObject InvalidBundle(string name, byte[] bytes) =>
        VectorJson.Refused(name, "bundle_invalid", "bundle", bytes, PreKeyBundle.TryParse(bytes, out _, out E2eChatFailure failure) ? "None" : failure.ToString());

    private static JsonObject InvalidX25519(string name, byte[] publicKey) =>
        VectorJson.Refused(name, "x25519_public_invalid", "public_key", publicKey, X25519.ValidatePublicKey(publicKey).ToString());

    private static JsonObject Safety(string name, NamedIdentities identities)
    {
        (byte[] identityA, string nameA, byte[] identityB, string nameB) = identities;
        IdentityKey a = IdentityKey.TryParse(identityA, out IdentityKey? parsedA, out E2eChatFailure failureA)
            ? parsedA
            : throw new VectorFormatException($"identity_a: {failureA}");
        IdentityKey b = IdentityKey.TryParse(identityB, out IdentityKey? parsedB, out E2eChatFailure failureB)
            ? parsedB
            : throw new VectorFormatException($"identity_b: {failureB}");
        byte[] fingerprintA = new byte[Fingerprint.Length];
        byte[] fingerprintB = new byte[Fingerprint.Length];
        Fingerprint.Compute(a, nameA, fingerprintA);
        Fingerprint.Compute(b, nameB, fingerprintB);
        SafetyNumber number = SafetyNumber.Create(nameA, a, nameB, b);
        Expect.Equal("digits (from B's side)", number.Digits, SafetyNumber.Create(nameB, b, nameA, a).Digits);
        JsonObject vector = identities.Vector(name, "safety_number");
        vector["fingerprint_a"] = Hex.Encode(fingerprintA);
        vector["fingerprint_b"] = Hex.Encode(fingerprintB);
        vector["digits"] = number.Digits;
        vector["qr_a"] = Hex.Encode(number.ToQrPayload());
        return vector;
    }

    private static byte[] Sign(IdentityKeyPair identity, ReadOnlySpan<byte> label, ReadOnlySpan<byte> body)
    {
        byte[] signature = new byte[Ed25519.SignatureLength];
        identity.Sign(label, body, signature);
        return signature;
    }

    private static byte[] AddGroupOrder(byte[] scalar) =>
        IdentityForge.Le32(new BigInteger(scalar, isUnsigned: true, isBigEndian: false) + IdentityForge.GroupOrder);
}
