namespace E2eChat.Cli.Vectors;

/// <summary>
/// The private inputs of one party as the vectors record them: the identity (Ed25519 seed and
/// X25519 scalar) and, for a responder, its signed, one-time and KEM pre-keys (X25519 scalars and
/// the 64-byte ML-KEM seed). Builds the implementation's key objects from them.
/// </summary>
internal sealed class PartyKeys
{
    private PartyKeys(byte[] ed25519Seed, byte[] x25519Private)
    {
        Ed25519Seed = ed25519Seed;
        X25519Private = x25519Private;
    }

    /// <summary>The 32-byte Ed25519 seed of the identity.</summary>
    internal byte[] Ed25519Seed { get; }

    /// <summary>The 32-byte X25519 private scalar of the identity.</summary>
    internal byte[] X25519Private { get; }

    /// <summary>The signed pre-key id (0 for an identity-only party).</summary>
    internal uint SignedPreKeyId { get; private set; }

    /// <summary>The signed pre-key's private scalar.</summary>
    internal byte[] SignedPreKeyPrivate { get; private set; } = [];

    /// <summary>The one-time pre-key id, 0 when none.</summary>
    internal uint OneTimePreKeyId { get; private set; }

    /// <summary>The one-time pre-key's private scalar, empty when none.</summary>
    internal byte[] OneTimePreKeyPrivate { get; private set; } = [];

    /// <summary>The KEM pre-key id.</summary>
    internal uint KemPreKeyId { get; private set; }

    /// <summary>Whether the KEM pre-key is the last-resort one (else one-time).</summary>
    internal bool KemPreKeyLastResort { get; private set; }

    /// <summary>The 64-byte ML-KEM-768 key generation seed <c>d || z</c>.</summary>
    internal byte[] KemSeed { get; private set; } = [];

    /// <summary>Whether the party has pre-keys (a responder).</summary>
    internal bool HasPreKeys => SignedPreKeyId != 0;

    /// <summary>Draws an identity.</summary>
    internal static PartyKeys DrawIdentity(RandomSource random) =>
        new(random.Draw(Ed25519.SeedLength), random.Draw(X25519.KeyLength));

    /// <summary>Draws an identity and pre-keys with the given ids (<paramref name="oneTimePreKeyId"/> 0 = none).</summary>
    internal static PartyKeys DrawWithPreKeys(RandomSource random, uint signedPreKeyId, uint oneTimePreKeyId, uint kemPreKeyId, bool kemLastResort)
    {
        PartyKeys keys = DrawIdentity(random);
        keys.SignedPreKeyId = signedPreKeyId;
        keys.SignedPreKeyPrivate = random.Draw(X25519.KeyLength);
        keys.OneTimePreKeyId = oneTimePreKeyId;
        keys.OneTimePreKeyPrivate = oneTimePreKeyId == 0 ? [] : random.Draw(X25519.KeyLength);
        keys.KemPreKeyId = kemPreKeyId;
        keys.KemPreKeyLastResort = kemLastResort;
        keys.KemSeed = random.Draw(MlKem768.SeedLength);
        return keys;
    }

    /// <summary>An identity from given inputs.</summary>
    internal static PartyKeys FromIdentity(byte[] ed25519Seed, byte[] x25519Private) => new(ed25519Seed, x25519Private);

    /// <summary>Reads <c>ed25519_seed</c> and <c>x25519_private</c> from <paramref name="identity"/>.</summary>
    internal static PartyKeys ReadIdentity(JsonObject identity) =>
        new(VectorJson.Bytes(identity, "ed25519_seed"), VectorJson.Bytes(identity, "x25519_private"));

    /// <summary>Reads the identity from <paramref name="identity"/> and the pre-key fields from <paramref name="preKeys"/>.</summary>
    internal static PartyKeys Read(JsonObject identity, JsonObject preKeys)
    {
        PartyKeys keys = ReadIdentity(identity);
        keys.SignedPreKeyId = VectorJson.UInt32(preKeys, "signed_prekey_id");
        keys.SignedPreKeyPrivate = VectorJson.Bytes(preKeys, "signed_prekey_private");
        keys.OneTimePreKeyId = VectorJson.UInt32(preKeys, "one_time_prekey_id");
        keys.OneTimePreKeyPrivate = VectorJson.Bytes(preKeys, "one_time_prekey_private");
        keys.KemPreKeyId = VectorJson.UInt32(preKeys, "kem_prekey_id");
        keys.KemPreKeyLastResort = VectorJson.Bool(preKeys, "kem_prekey_last_resort");
        keys.KemSeed = VectorJson.Bytes(preKeys, "kem_seed");
        if (keys.SignedPreKeyId == 0 || keys.KemPreKeyId == 0)
        {
            throw new VectorFormatException("pre-key ids must be nonzero");
        }

        if ((keys.OneTimePreKeyId == 0) != (keys.OneTimePreKeyPrivate.Length == 0))
        {
            throw new VectorFormatException("one_time_prekey_private must be empty exactly when one_time_prekey_id is 0");
        }

        return keys;
    }

    /// <summary>The identity inputs as a JSON object.</summary>
    internal JsonObject IdentityJson() => new()
    {
        ["ed25519_seed"] = Hex.Encode(Ed25519Seed),
        ["x25519_private"] = Hex.Encode(X25519Private),
    };

    /// <summary>The identity and pre-key inputs as one JSON object (<c>bob</c> in handshake.json).</summary>
    internal JsonObject FullJson()
    {
        JsonObject json = IdentityJson();
        WritePreKeys(json);
        return json;
    }

    /// <summary>Adds the pre-key inputs to <paramref name="target"/>.</summary>
    internal void WritePreKeys(JsonObject target)
    {
        target["signed_prekey_id"] = SignedPreKeyId;
        target["signed_prekey_private"] = Hex.Encode(SignedPreKeyPrivate);
        target["one_time_prekey_id"] = OneTimePreKeyId;
        target["one_time_prekey_private"] = Hex.Encode(OneTimePreKeyPrivate);
        target["kem_prekey_id"] = KemPreKeyId;
        target["kem_prekey_last_resort"] = KemPreKeyLastResort;
        target["kem_seed"] = Hex.Encode(KemSeed);
    }

    /// <summary>The identity key pair (<c>IdentityKeyPair.Import(ed25519_seed || x25519_private)</c>).</summary>
    internal IdentityKeyPair CreateIdentity() => IdentityKeyPair.Import([.. Ed25519Seed, .. X25519Private]);

    /// <summary>The signed pre-key: generated from the recorded scalar, signed by <paramref name="identity"/>.</summary>
    internal SignedPreKey CreateSignedPreKey(IdentityKeyPair identity)
    {
        var random = new ReplayRandomSource(SignedPreKeyPrivate);
        SignedPreKey key = SignedPreKey.Generate(identity, SignedPreKeyId, random);
        random.EnsureConsumed("signed_prekey_private");
        return key;
    }

    /// <summary>The one-time pre-key, or null when the id is 0.</summary>
    internal OneTimePreKey? CreateOneTimePreKey() =>
        OneTimePreKeyId == 0 ? null : OneTimePreKey.Import(OneTimePreKeyId, OneTimePreKeyPrivate);

    /// <summary>The KEM pre-key: generated from the recorded seed, signed by <paramref name="identity"/>.</summary>
    internal KemPreKey CreateKemPreKey(IdentityKeyPair identity)
    {
        var random = new ReplayRandomSource(KemSeed);
        KemPreKey key = KemPreKey.Generate(identity, KemPreKeyId, KemPreKeyLastResort ? KemPreKeyKind.LastResort : KemPreKeyKind.OneTime, random);
        random.EnsureConsumed("kem_seed");
        return key;
    }

    /// <summary>The bundle these pre-keys publish.</summary>
    internal PreKeyBundle CreateBundle(IdentityKeyPair identity)
    {
        using SignedPreKey signedPreKey = CreateSignedPreKey(identity);
        using OneTimePreKey? oneTimePreKey = CreateOneTimePreKey();
        using KemPreKey kemPreKey = CreateKemPreKey(identity);
        return PreKeyBundle.Create(identity.PublicKey, signedPreKey, oneTimePreKey, kemPreKey);
    }
}
