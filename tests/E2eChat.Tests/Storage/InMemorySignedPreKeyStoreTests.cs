using E2eChat.Keys;
using E2eChat.Storage;

namespace E2eChat.Tests.Storage;

public sealed class InMemorySignedPreKeyStoreTests : IDisposable
{
    private readonly IdentityKeyPair _identity = IdentityKeyPair.Generate();
    private readonly InMemorySignedPreKeyStore _store = new();

    public void Dispose()
    {
        _store.Dispose();
        _identity.Dispose();
    }

    [Fact]
    public async Task GetSignedPreKeyAsync_Missing_Null()
    {
        Assert.Null(await _store.GetSignedPreKeyAsync(1));
    }

    [Fact]
    public async Task SaveSignedPreKeyAsync_ThenGet_ReturnsEqualCopy()
    {
        using var key = SignedPreKey.Generate(_identity, 5);
        await _store.SaveSignedPreKeyAsync(key);
        using SignedPreKey? loaded = await _store.GetSignedPreKeyAsync(5);
        Assert.NotNull(loaded);
        Assert.NotSame(key, loaded);
        Assert.Equal(key.PublicKey.ToArray(), loaded.PublicKey.ToArray());
        Assert.Equal(key.Signature.ToArray(), loaded.Signature.ToArray());
        Assert.Equal(key.PrivateKey.ToArray(), loaded.PrivateKey.ToArray());
    }

    [Fact]
    public async Task SaveSignedPreKeyAsync_DisposingOriginalAndLoadedCopies_StoreStillUsable()
    {
        var key = SignedPreKey.Generate(_identity, 5);
        byte[] privateKey = key.PrivateKey.ToArray();
        await _store.SaveSignedPreKeyAsync(key);
        key.Dispose();
        (await _store.GetSignedPreKeyAsync(5))!.Dispose();
        using SignedPreKey? loaded = await _store.GetSignedPreKeyAsync(5);
        Assert.Equal(privateKey, loaded!.PrivateKey.ToArray());
    }

    [Fact]
    public async Task RemoveSignedPreKeyAsync_Present_GoneAndOthersKept()
    {
        using var first = SignedPreKey.Generate(_identity, 1);
        using var second = SignedPreKey.Generate(_identity, 2);
        await _store.SaveSignedPreKeyAsync(first);
        await _store.SaveSignedPreKeyAsync(second);
        await _store.RemoveSignedPreKeyAsync(1);
        await _store.RemoveSignedPreKeyAsync(99);
        Assert.Null(await _store.GetSignedPreKeyAsync(1));
        Assert.Equal([2u], _store.Ids);
    }

    [Fact]
    public async Task Dispose_ThenGet_ThrowsObjectDisposedException()
    {
        using var key = SignedPreKey.Generate(_identity, 1);
        await _store.SaveSignedPreKeyAsync(key);
        _store.Dispose();
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await _store.GetSignedPreKeyAsync(1));
    }
}
