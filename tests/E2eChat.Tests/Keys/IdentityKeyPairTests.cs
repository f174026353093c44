using E2eChat.Crypto;
using E2eChat.Tests.Handshake;

namespace E2eChat.Tests.Keys;

public sealed class IdentityKeyPairTests
{
    [Fact]
    public void Generate_SameSeed_SameIdentity()
    {
        using DeterministicRandomSource random1 = TestRandom.FromSeed(1);
        using DeterministicRandomSource random2 = TestRandom.FromSeed(1);
        using var first = IdentityKeyPair.Generate(random1);
        using var second = IdentityKeyPair.Generate(random2);
        Assert.Equal(first.PublicKey, second.PublicKey);
    }

    [Fact]
    public void Generate_DifferentSeeds_DifferentIdentities()
    {
        using DeterministicRandomSource random1 = TestRandom.FromSeed(1);
        using DeterministicRandomSource random2 = TestRandom.FromSeed(2);
        using var first = IdentityKeyPair.Generate(random1);
        using var second = IdentityKeyPair.Generate(random2);
        Assert.NotEqual(first.PublicKey, second.PublicKey);
    }

    [Fact]
    public void Generate_System_PublicKeyIsValidIdentity()
    {
        using var pair = IdentityKeyPair.Generate();
        Assert.True(IdentityKey.TryParse(pair.PublicKey.AsSpan(), out IdentityKey? parsed, out E2eChatFailure failure));
        Assert.Equal(E2eChatFailure.None, failure);
        Assert.Equal(pair.PublicKey, parsed);
    }

    [Fact]
    public void Generate_PublicKey_BindsAgreementKeyOfPrivateScalar()
    {
        using var pair = IdentityKeyPair.Generate();
        byte[] derived = new byte[X25519.KeyLength];
        X25519.DerivePublicKey(pair.AgreementPrivateKey, derived);
        Assert.Equal(derived, pair.PublicKey.AsSpan().Slice(32, 32).ToArray());
    }

    [Fact]
    public void Import_ExportedPrivateKey_RestoresSameIdentity()
    {
        using var pair = IdentityKeyPair.Generate();
        using SecretBuffer exported = pair.ExportPrivateKey();
        Assert.Equal(IdentityKeyPair.PrivateKeyLength, exported.Length);
        using var restored = IdentityKeyPair.Import(exported.Span);
        Assert.Equal(pair.PublicKey, restored.PublicKey);
        Assert.True(restored.AgreementPrivateKey.SequenceEqual(pair.AgreementPrivateKey));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(63)]
    [InlineData(65)]
    public void Import_WrongLength_ThrowsArgumentException(int length)
    {
        Assert.Throws<ArgumentException>(() => IdentityKeyPair.Import(new byte[length]));
    }

    [Fact]
    public void ExportPrivateKey_AfterDispose_ThrowsObjectDisposedException()
    {
        var pair = IdentityKeyPair.Generate();
        pair.Dispose();
        Assert.Throws<ObjectDisposedException>(() => pair.ExportPrivateKey());
        Assert.Throws<ObjectDisposedException>(() => pair.AgreementPrivateKey.Length);
    }

    [Fact]
    public void ToString_NamesPublicIdentityOnly()
    {
        using var pair = IdentityKeyPair.Generate();
        using SecretBuffer exported = pair.ExportPrivateKey();
        string text = pair.ToString();
        Assert.StartsWith("IdentityKeyPair(", text, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToHexStringLower(exported.Span[..8]), text, StringComparison.Ordinal);
    }
}
