using E2eChat.Crypto;
using E2eChat.Tests.Handshake;

namespace E2eChat.Tests.Keys;

public sealed class SignedPreKeyTests
{
    [Fact]
    public void Generate_Signature_CoversSpecDomainMessage()
    {
        using var identity = IdentityKeyPair.Generate();
        using var key = SignedPreKey.Generate(identity, 0x01020304);

        // "E2eChat/v1/signed-prekey" || 0x00 || u32be(id) || spk, built independently of the library.
        byte[] message = [.. "E2eChat/v1/signed-prekey"u8, 0x00, 0x01, 0x02, 0x03, 0x04, .. key.PublicKey];
        Assert.True(Ed25519.VerifyRaw(identity.PublicKey.AsSpan()[..32], message, key.Signature));
        Assert.Equal(0x01020304u, key.Id);
    }

    [Fact]
    public void Generate_PublicKey_MatchesPrivateKey()
    {
        using var identity = IdentityKeyPair.Generate();
        using var key = SignedPreKey.Generate(identity, 5);
        byte[] derived = new byte[32];
        X25519.DerivePublicKey(key.PrivateKey, derived);
        Assert.Equal(derived, key.PublicKey.ToArray());
    }

    [Fact]
    public void Generate_ZeroId_ThrowsArgumentOutOfRangeException()
    {
        using var identity = IdentityKeyPair.Generate();
        Assert.Throws<ArgumentOutOfRangeException>(() => SignedPreKey.Generate(identity, 0));
    }

    [Fact]
    public void VerifySignature_OtherId_False()
    {
        using var identity = IdentityKeyPair.Generate();
        using var key = SignedPreKey.Generate(identity, 9);
        Assert.True(SignedPreKey.VerifySignature(identity.PublicKey, 9, key.PublicKey, key.Signature));
        Assert.False(SignedPreKey.VerifySignature(identity.PublicKey, 10, key.PublicKey, key.Signature));
    }

    [Fact]
    public void Import_ExportedPrivateKey_RestoresSameKey()
    {
        using DeterministicRandomSource random = TestRandom.FromSeed(3);
        using var identity = IdentityKeyPair.Generate(random);
        using var key = SignedPreKey.Generate(identity, 42, random);
        using SecretBuffer exported = key.ExportPrivateKey();
        using var restored = SignedPreKey.Import(42, exported.Span, key.Signature);
        Assert.Equal(key.PublicKey.ToArray(), restored.PublicKey.ToArray());
        Assert.Equal(key.Signature.ToArray(), restored.Signature.ToArray());
        Assert.Equal(42u, restored.Id);
    }

    [Fact]
    public void Import_WrongLengths_ThrowArgumentException()
    {
        Assert.Throws<ArgumentException>(() => SignedPreKey.Import(1, new byte[31], new byte[64]));
        Assert.Throws<ArgumentException>(() => SignedPreKey.Import(1, new byte[32], new byte[63]));
        Assert.Throws<ArgumentOutOfRangeException>(() => SignedPreKey.Import(0, new byte[32], new byte[64]));
    }

    [Fact]
    public void Clone_DisposingOriginal_LeavesCopyUsable()
    {
        using var identity = IdentityKeyPair.Generate();
        var key = SignedPreKey.Generate(identity, 1);
        byte[] privateKey = key.PrivateKey.ToArray();
        using SignedPreKey copy = key.Clone();
        key.Dispose();
        Assert.Throws<ObjectDisposedException>(() => key.PrivateKey.Length);
        Assert.Equal(privateKey, copy.PrivateKey.ToArray());
    }
}
