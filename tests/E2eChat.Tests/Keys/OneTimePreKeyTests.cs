using E2eChat.Crypto;

namespace E2eChat.Tests.Keys;

public sealed class OneTimePreKeyTests
{
    [Fact]
    public void Generate_PublicKey_MatchesPrivateKey()
    {
        using var key = OneTimePreKey.Generate(3);
        byte[] derived = new byte[32];
        X25519.DerivePublicKey(key.PrivateKey, derived);
        Assert.Equal(derived, key.PublicKey.ToArray());
        Assert.Equal(3u, key.Id);
    }

    [Fact]
    public void Generate_ZeroId_ThrowsArgumentOutOfRangeException()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => OneTimePreKey.Generate(0));
    }

    [Fact]
    public void Import_ExportedPrivateKey_RestoresSameKey()
    {
        using var key = OneTimePreKey.Generate(8);
        using SecretBuffer exported = key.ExportPrivateKey();
        using var restored = OneTimePreKey.Import(8, exported.Span);
        Assert.Equal(key.PublicKey.ToArray(), restored.PublicKey.ToArray());
    }

    [Fact]
    public void Import_WrongLength_ThrowsArgumentException()
    {
        Assert.Throws<ArgumentException>(() => OneTimePreKey.Import(1, new byte[33]));
    }

    [Fact]
    public void Clone_DisposingOriginal_LeavesCopyUsable()
    {
        var key = OneTimePreKey.Generate(1);
        byte[] privateKey = key.PrivateKey.ToArray();
        using OneTimePreKey copy = key.Clone();
        key.Dispose();
        Assert.Throws<ObjectDisposedException>(() => key.PrivateKey.Length);
        Assert.Equal(privateKey, copy.PrivateKey.ToArray());
    }
}
