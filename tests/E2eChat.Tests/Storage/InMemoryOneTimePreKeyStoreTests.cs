using E2eChat.Keys;
using E2eChat.Storage;

namespace E2eChat.Tests.Storage;

public sealed class InMemoryOneTimePreKeyStoreTests : IDisposable
{
    private readonly InMemoryOneTimePreKeyStore _store = new();

    public void Dispose() => _store.Dispose();

    [Fact]
    public async Task GetOneTimePreKeyAsync_Missing_Null()
    {
        Assert.Null(await _store.GetOneTimePreKeyAsync(1));
    }

    [Fact]
    public async Task SaveOneTimePreKeyAsync_ThenGet_ReturnsEqualCopy()
    {
        using var key = OneTimePreKey.Generate(3);
        await _store.SaveOneTimePreKeyAsync(key);
        key.Dispose();
        using OneTimePreKey? loaded = await _store.GetOneTimePreKeyAsync(3);
        Assert.NotNull(loaded);
        Assert.Equal(3u, loaded.Id);
        Assert.Equal(32, loaded.PrivateKey.Length);
    }

    [Fact]
    public async Task RemoveOneTimePreKeyAsync_Consumed_GetReturnsNull()
    {
        using var key = OneTimePreKey.Generate(3);
        await _store.SaveOneTimePreKeyAsync(key);
        await _store.RemoveOneTimePreKeyAsync(3);
        Assert.Null(await _store.GetOneTimePreKeyAsync(3));
        Assert.Equal(0, _store.Count);
    }

    [Fact]
    public async Task SaveOneTimePreKeyAsync_SameId_Replaces()
    {
        using var first = OneTimePreKey.Generate(3);
        using var second = OneTimePreKey.Generate(3);
        await _store.SaveOneTimePreKeyAsync(first);
        await _store.SaveOneTimePreKeyAsync(second);
        using OneTimePreKey? loaded = await _store.GetOneTimePreKeyAsync(3);
        Assert.Equal(second.PublicKey.ToArray(), loaded!.PublicKey.ToArray());
        Assert.Equal(1, _store.Count);
    }
}
