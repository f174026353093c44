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
        Assert.True(await _store.RemoveOneTimePreKeyAsync(3));
        Assert.Null(await _store.GetOneTimePreKeyAsync(3));
        Assert.Equal(0, _store.Count);
        Assert.False(await _store.RemoveOneTimePreKeyAsync(3));
        Assert.False(await _store.RemoveOneTimePreKeyAsync(4));
    }

    [Fact]
    public async Task RemoveOneTimePreKeyAsync_ConcurrentCallers_ExactlyOneRemovesIt()
    {
        using var key = OneTimePreKey.Generate(3);
        await _store.SaveOneTimePreKeyAsync(key);
        bool[] removed = await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => Task.Run(async () => await _store.RemoveOneTimePreKeyAsync(3))));
        Assert.Equal(1, removed.Count(r => r));
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
