using E2eChat.Tests.Handshake;
using FsCheck.Xunit;
using Google.Protobuf;

namespace E2eChat.Tests.Keys;

public sealed class PreKeyBundleTests
{
    private static readonly (Action<E2eChat.Wire.Proto.PreKeyBundle> Defect, E2eChatFailure Failure)[] s_defectsInSpecOrder =
    [
        (m => m.IdentityKey = Flip(m.IdentityKey, 100), E2eChatFailure.InvalidIdentityKey),
        (m => m.SignedPrekeyId = 0, E2eChatFailure.InvalidKeyId),
        (m => m.SignedPrekey = ByteString.CopyFrom(new byte[32]), E2eChatFailure.InvalidSignedPreKey),
        (m => m.SignedPrekeySignature = Flip(m.SignedPrekeySignature, 5), E2eChatFailure.BadSignedPreKeySignature),
        (m => m.OneTimePrekey = ByteString.CopyFrom(new byte[32]), E2eChatFailure.InvalidOneTimePreKey),
        (m => m.KemPrekey = WithFirstBytes(m.KemPrekey, 0xFF, 0x0F), E2eChatFailure.InvalidKemPreKey),
        (m => m.KemPrekeySignature = Flip(m.KemPrekeySignature, 9), E2eChatFailure.BadKemPreKeySignature),
    ];

    private static readonly Dictionary<string, (Action<E2eChat.Wire.Proto.PreKeyBundle> Tamper, E2eChatFailure Failure)> s_tamperings = new()
    {
        ["identity_key bit flipped"] = (m => m.IdentityKey = Flip(m.IdentityKey, 0), E2eChatFailure.InvalidIdentityKey),
        ["identity_key empty"] = (m => m.IdentityKey = ByteString.Empty, E2eChatFailure.InvalidIdentityKey),
        ["identity_key truncated"] = (m => m.IdentityKey = Truncate(m.IdentityKey, 127), E2eChatFailure.InvalidIdentityKey),
        ["signed_prekey_id zero"] = (m => m.SignedPrekeyId = 0, E2eChatFailure.InvalidKeyId),
        ["kem_prekey_id zero"] = (m => m.KemPrekeyId = 0, E2eChatFailure.InvalidKeyId),
        ["signed_prekey low order"] = (m => m.SignedPrekey = ByteString.CopyFrom(new byte[32]), E2eChatFailure.InvalidSignedPreKey),
        ["signed_prekey top bit"] = (m => m.SignedPrekey = Or(m.SignedPrekey, 31, 0x80), E2eChatFailure.InvalidSignedPreKey),
        ["signed_prekey truncated"] = (m => m.SignedPrekey = Truncate(m.SignedPrekey, 31), E2eChatFailure.InvalidSignedPreKey),
        ["signed_prekey bit flipped"] = (m => m.SignedPrekey = Flip(m.SignedPrekey, 0), E2eChatFailure.BadSignedPreKeySignature),
        ["signed_prekey_id changed"] = (m => m.SignedPrekeyId ^= 0x10, E2eChatFailure.BadSignedPreKeySignature),
        ["signed_prekey_signature bit flipped"] = (m => m.SignedPrekeySignature = Flip(m.SignedPrekeySignature, 63), E2eChatFailure.BadSignedPreKeySignature),
        ["signed_prekey_signature empty"] = (m => m.SignedPrekeySignature = ByteString.Empty, E2eChatFailure.BadSignedPreKeySignature),
        ["one_time_prekey low order"] = (m => m.OneTimePrekey = ByteString.CopyFrom(new byte[32]), E2eChatFailure.InvalidOneTimePreKey),
        ["one_time_prekey missing"] = (m => m.OneTimePrekey = ByteString.Empty, E2eChatFailure.InvalidOneTimePreKey),
        ["one_time_prekey without id"] = (m => m.OneTimePrekeyId = 0, E2eChatFailure.InvalidOneTimePreKey),
        ["kem_prekey coefficient above q"] = (m => m.KemPrekey = WithFirstBytes(m.KemPrekey, 0x01, 0x0D), E2eChatFailure.InvalidKemPreKey),
        ["kem_prekey truncated"] = (m => m.KemPrekey = Truncate(m.KemPrekey, 1183), E2eChatFailure.InvalidKemPreKey),
        ["kem_prekey seed bit flipped"] = (m => m.KemPrekey = Flip(m.KemPrekey, 1183), E2eChatFailure.BadKemPreKeySignature),
        ["kem_prekey_id changed"] = (m => m.KemPrekeyId ^= 0x10, E2eChatFailure.BadKemPreKeySignature),
        ["kem_prekey_last_resort flipped"] = (m => m.KemPrekeyLastResort = !m.KemPrekeyLastResort, E2eChatFailure.BadKemPreKeySignature),
        ["kem_prekey_signature bit flipped"] = (m => m.KemPrekeySignature = Flip(m.KemPrekeySignature, 0), E2eChatFailure.BadKemPreKeySignature),
    };

    private static readonly Lazy<PreKeyBundle> s_validBundle = new(() =>
    {
        using var identity = IdentityKeyPair.Generate();
        using var signed = SignedPreKey.Generate(identity, 1);
        using var oneTime = OneTimePreKey.Generate(2);
        using var kem = KemPreKey.Generate(identity, 3, KemPreKeyKind.OneTime);
        return PreKeyBundle.Create(identity.PublicKey, signed, oneTime, kem);
    });

    public static TheoryData<string> Tamperings => new(s_tamperings.Keys);

    [Theory]
    [InlineData(true, true)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(false, false)]
    public async Task TryParse_PublishedBundle_RoundTripsEveryField(bool withOneTime, bool withOneTimeKem)
    {
        using TestParty bob = await TestParty.CreateAsync("bob", 11);
        PreKeyBundle bundle = await bob.BundleAsync(withOneTime, withOneTimeKem);

        Assert.True(PreKeyBundle.TryParse(bundle.ToBytes(), out PreKeyBundle? parsed, out E2eChatFailure failure));
        Assert.Equal(E2eChatFailure.None, failure);
        Assert.Equal(bundle.IdentityKey, parsed.IdentityKey);
        Assert.Equal(bundle.SignedPreKeyId, parsed.SignedPreKeyId);
        Assert.Equal(bundle.SignedPreKeyPublicKey.ToArray(), parsed.SignedPreKeyPublicKey.ToArray());
        Assert.Equal(bundle.SignedPreKeySignature.ToArray(), parsed.SignedPreKeySignature.ToArray());
        Assert.Equal(bundle.OneTimePreKeyId, parsed.OneTimePreKeyId);
        Assert.Equal(withOneTime, parsed.HasOneTimePreKey);
        Assert.Equal(withOneTime ? 32 : 0, parsed.OneTimePreKeyPublicKey.Length);
        Assert.Equal(bundle.OneTimePreKeyPublicKey.ToArray(), parsed.OneTimePreKeyPublicKey.ToArray());
        Assert.Equal(bundle.KemPreKeyId, parsed.KemPreKeyId);
        Assert.Equal(withOneTimeKem ? KemPreKeyKind.OneTime : KemPreKeyKind.LastResort, parsed.KemPreKeyKind);
        Assert.Equal(bundle.KemPreKeyPublicKey.ToArray(), parsed.KemPreKeyPublicKey.ToArray());
        Assert.Equal(bundle.KemPreKeySignature.ToArray(), parsed.KemPreKeySignature.ToArray());
        Assert.Equal(bundle.ToBytes(), parsed.ToBytes());
    }

    [Theory]
    [InlineData("FF")]
    [InlineData("0A05")]
    [InlineData("0A")]
    [InlineData("7F")]
    public void TryParse_NotProtobuf_Malformed(string hex)
    {
        Assert.False(PreKeyBundle.TryParse(Convert.FromHexString(hex), out PreKeyBundle? bundle, out E2eChatFailure failure));
        Assert.Null(bundle);
        Assert.Equal(E2eChatFailure.Malformed, failure);
    }

    [Fact]
    public void TryParse_Empty_InvalidIdentityKey()
    {
        // An empty input is a valid protobuf message with every field at its default value.
        Assert.False(PreKeyBundle.TryParse([], out _, out E2eChatFailure failure));
        Assert.Equal(E2eChatFailure.InvalidIdentityKey, failure);
    }

    [Theory]
    [MemberData(nameof(Tamperings))]
    public async Task TryParse_TamperedField_ReportsItsFailure(string tampering)
    {
        using TestParty bob = await TestParty.CreateAsync("bob", 12);
        E2eChat.Wire.Proto.PreKeyBundle message = (await bob.BundleAsync(true, true)).ToMessage();
        (Action<E2eChat.Wire.Proto.PreKeyBundle> tamper, E2eChatFailure expected) = s_tamperings[tampering];
        tamper(message);

        Assert.False(PreKeyBundle.TryParse(message.ToByteArray(), out PreKeyBundle? bundle, out E2eChatFailure failure));
        Assert.Null(bundle);
        Assert.Equal(expected, failure);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    public async Task TryParse_DefectsFromStepOnward_ReportsFirstInSpecOrder(int firstDefect)
    {
        using TestParty bob = await TestParty.CreateAsync("bob", 13);
        E2eChat.Wire.Proto.PreKeyBundle message = (await bob.BundleAsync(true, true)).ToMessage();
        for (int i = firstDefect; i < s_defectsInSpecOrder.Length; i++)
        {
            s_defectsInSpecOrder[i].Defect(message);
        }

        Assert.False(PreKeyBundle.TryParse(message.ToByteArray(), out _, out E2eChatFailure failure));
        Assert.Equal(s_defectsInSpecOrder[firstDefect].Failure, failure);
    }

    [Fact]
    public async Task TryParse_OneTimePreKeyReplacedByAnotherValidKey_Accepted()
    {
        // One-time pre-keys are unsigned (PROTOCOL.md 3.2): a directory can swap them; the responder
        // then finds no matching private key or derives a different secret.
        using TestParty bob = await TestParty.CreateAsync("bob", 14);
        E2eChat.Wire.Proto.PreKeyBundle message = (await bob.BundleAsync(true, true)).ToMessage();
        using var other = OneTimePreKey.Generate(5);
        message.OneTimePrekey = ByteString.CopyFrom(other.PublicKey);
        Assert.True(PreKeyBundle.TryParse(message.ToByteArray(), out _, out _));
    }

    [Fact]
    public void Parse_Malformed_ThrowsE2eChatExceptionWithReason()
    {
        var exception = Assert.Throws<E2eChatException>(() => PreKeyBundle.Parse([0xFF]));
        Assert.True(exception.Failure == E2eChatFailure.Malformed);
    }

    [Fact]
    public async Task Create_SignedByAnotherIdentity_ThrowsArgumentException()
    {
        using TestParty bob = await TestParty.CreateAsync("bob", 15);
        using TestParty mallory = await TestParty.CreateAsync("mallory", 16);
        using SignedPreKey signed = (await bob.SignedPreKeys.GetSignedPreKeyAsync(bob.Generator.SignedPreKeyId))!;
        using KemPreKey kem = (await bob.KemPreKeys.GetKemPreKeyAsync(bob.Generator.LastResortKemPreKeyId))!;
        Assert.Throws<ArgumentException>(() => PreKeyBundle.Create(mallory.Identity.PublicKey, signed, null, kem));
    }

    [Property(MaxTest = 300)]
    public bool TryParse_ArbitraryBytes_NeverThrowsAndReportsConsistently(byte[]? bytes)
    {
        bool ok = PreKeyBundle.TryParse(bytes ?? [], out PreKeyBundle? bundle, out E2eChatFailure failure);
        return ok == (bundle is not null) && ok == (failure == E2eChatFailure.None);
    }

    [Property(MaxTest = 300)]
    public bool TryParse_ValidBundleWithOneByteChanged_NeverThrows(ushort position, byte xor)
    {
        byte[] bytes = s_validBundle.Value.ToBytes();
        bytes[position % bytes.Length] ^= xor == 0 ? (byte)1 : xor;
        bool ok = PreKeyBundle.TryParse(bytes, out PreKeyBundle? bundle, out E2eChatFailure failure);
        return ok == (bundle is not null) && ok == (failure == E2eChatFailure.None);
    }

    private static ByteString Flip(ByteString value, int index)
    {
        byte[] bytes = value.ToByteArray();
        bytes[index] ^= 0x01;
        return ByteString.CopyFrom(bytes);
    }

    private static ByteString Truncate(ByteString value, int length) => ByteString.CopyFrom(value.Span[..length]);

    private static ByteString Or(ByteString value, int index, byte mask)
    {
        byte[] bytes = value.ToByteArray();
        bytes[index] |= mask;
        return ByteString.CopyFrom(bytes);
    }

    private static ByteString WithFirstBytes(ByteString value, byte first, byte second)
    {
        byte[] bytes = value.ToByteArray();
        bytes[0] = first;
        bytes[1] = second;
        return ByteString.CopyFrom(bytes);
    }
}
