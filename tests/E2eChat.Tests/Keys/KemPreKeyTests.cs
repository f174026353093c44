using E2eChat.Crypto;

namespace E2eChat.Tests.Keys;

public sealed class KemPreKeyTests
{
    [Theory]
    [InlineData(KemPreKeyKind.LastResort, 0x01)]
    [InlineData(KemPreKeyKind.OneTime, 0x02)]
    public void Generate_Signature_CoversSpecDomainMessageWithKind(KemPreKeyKind kind, byte kindByte)
    {
        using var identity = IdentityKeyPair.Generate();
        using var key = KemPreKey.Generate(identity, 0x0A0B0C0D, kind);

        // "E2eChat/v1/kem-prekey" || 0x00 || u32be(id) || kind || kem_pk, built independently of the library.
        byte[] message = [.. "E2eChat/v1/kem-prekey"u8, 0x00, 0x0A, 0x0B, 0x0C, 0x0D, kindByte, .. key.PublicKey];
        Assert.True(Ed25519.VerifyRaw(identity.PublicKey.AsSpan()[..32], message, key.Signature));
        Assert.Equal(kind, key.Kind);
    }

    [Fact]
    public void VerifySignature_OtherKind_False()
    {
        using var identity = IdentityKeyPair.Generate();
        using var key = KemPreKey.Generate(identity, 4, KemPreKeyKind.OneTime);
        Assert.True(KemPreKey.VerifySignature(identity.PublicKey, 4, KemPreKeyKind.OneTime, key.PublicKey, key.Signature));
        Assert.False(KemPreKey.VerifySignature(identity.PublicKey, 4, KemPreKeyKind.LastResort, key.PublicKey, key.Signature));
    }

    [Fact]
    public void Generate_KeyPair_EncapsulatesAndDecapsulates()
    {
        using var identity = IdentityKeyPair.Generate();
        using var key = KemPreKey.Generate(identity, 1, KemPreKeyKind.LastResort);
        byte[] ciphertext = new byte[MlKem768.CiphertextLength];
        byte[] sent = new byte[32];
        byte[] received = new byte[32];
        Assert.True(MlKem768.TryEncapsulate(key.PublicKey, ciphertext, sent));
        Assert.True(MlKem768.TryDecapsulate(key.SecretKey, ciphertext, received));
        Assert.Equal(sent, received);
    }

    [Fact]
    public void Import_ExportedSecretKey_RestoresSamePublicKey()
    {
        using var identity = IdentityKeyPair.Generate();
        using var key = KemPreKey.Generate(identity, 77, KemPreKeyKind.OneTime);
        using SecretBuffer exported = key.ExportSecretKey();
        using var restored = KemPreKey.Import(77, KemPreKeyKind.OneTime, exported.Span, key.Signature);
        Assert.Equal(key.PublicKey.ToArray(), restored.PublicKey.ToArray());
        Assert.True(KemPreKey.VerifySignature(identity.PublicKey, 77, KemPreKeyKind.OneTime, restored.PublicKey, restored.Signature));
    }

    [Fact]
    public void Import_InvalidArguments_Throw()
    {
        Assert.Throws<ArgumentException>(() => KemPreKey.Import(1, KemPreKeyKind.OneTime, new byte[2399], new byte[64]));
        Assert.Throws<ArgumentException>(() => KemPreKey.Import(1, KemPreKeyKind.OneTime, new byte[2400], new byte[65]));
        Assert.Throws<ArgumentOutOfRangeException>(() => KemPreKey.Import(1, (KemPreKeyKind)3, new byte[2400], new byte[64]));
        Assert.Throws<ArgumentOutOfRangeException>(() => KemPreKey.Import(0, KemPreKeyKind.OneTime, new byte[2400], new byte[64]));
    }

    [Fact]
    public void Clone_DisposingOriginal_LeavesCopyUsable()
    {
        using var identity = IdentityKeyPair.Generate();
        var key = KemPreKey.Generate(identity, 1, KemPreKeyKind.OneTime);
        byte[] secretKey = key.SecretKey.ToArray();
        using KemPreKey copy = key.Clone();
        key.Dispose();
        Assert.Throws<ObjectDisposedException>(() => key.SecretKey.Length);
        Assert.Equal(secretKey, copy.SecretKey.ToArray());
        Assert.Equal(KemPreKeyKind.OneTime, copy.Kind);
    }
}
