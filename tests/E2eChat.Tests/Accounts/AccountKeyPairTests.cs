using E2eChat.Crypto;
using E2eChat.Tests.Handshake;

namespace E2eChat.Tests.Accounts;

public sealed class AccountKeyPairTests
{
    [Fact]
    public void Import_ExportedSeed_SamePublicKey()
    {
        using var pair = AccountKeyPair.Generate();
        using SecretBuffer seed = pair.ExportPrivateKey();
        using var restored = AccountKeyPair.Import(seed.Span);

        Assert.Equal(pair.PublicKey, restored.PublicKey);
    }

    [Fact]
    public void Generate_SameRandom_SameKey()
    {
        using DeterministicRandomSource first = TestRandom.FromSeed(7);
        using DeterministicRandomSource second = TestRandom.FromSeed(7);
        using var a = AccountKeyPair.Generate(first);
        using var b = AccountKeyPair.Generate(second);

        Assert.Equal(a.PublicKey, b.PublicKey);
    }

    [Fact]
    public void ToString_NeverShowsTheSeed()
    {
        using var pair = AccountKeyPair.Generate();
        using SecretBuffer seed = pair.ExportPrivateKey();
        string text = pair.ToString();

        Assert.DoesNotContain(Convert.ToHexStringLower(seed.Span), text, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToHexStringLower(seed.Span[..4]), text, StringComparison.Ordinal);
        Assert.StartsWith("AccountKeyPair(AccountKey(", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ExportPrivateKey_AfterDispose_Throws()
    {
        var pair = AccountKeyPair.Generate();
        pair.Dispose();
        pair.Dispose();

        Assert.Throws<ObjectDisposedException>(() => pair.ExportPrivateKey());
    }

    [Fact]
    public void Import_WrongLength_Throws()
    {
        Assert.Throws<ArgumentException>(() => AccountKeyPair.Import(new byte[31]));
    }

    [Fact]
    public void AccountKey_FromBytes_WrongLength_Throws()
    {
        Assert.Throws<ArgumentException>(() => AccountKey.FromBytes(new byte[33]));
    }
}
