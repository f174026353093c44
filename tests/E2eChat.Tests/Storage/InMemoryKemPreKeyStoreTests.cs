using E2eChat.Keys;
using E2eChat.Storage;

namespace E2eChat.Tests.Storage;

public sealed class InMemoryKemPreKeyStoreTests : IDisposable
{
    private readonly IdentityKeyPair _identity = IdentityKeyPair.Generate();
    private readonly InMemoryKemPreKeyStore _store = new();

    public void Dispose()
    {
        _store.Dispose();
        _identity.Dispose();
    }

    [Fact]
    public async Task GetKemPreKeyAsync_Missing_Null()
    {
        Assert.Null(await _store.GetKemPreKeyAsync(1));
    }

    [Fact]
    public async Task SaveKemPreKeyAsync_BothKinds_ReturnedWithTheirKind()
    {
        using var lastResort = KemPreKey.Generate(_identity, 1, KemPreKeyKind.LastResort);
        using var oneTime = KemPreKey.Generate(_identity, 2, KemPreKeyKind.OneTime);
        await _store.SaveKemPreKeyAsync(lastResort);
        await _store.SaveKemPreKeyAsync(oneTime);
        using KemPreKey? loadedLastResort = await _store.GetKemPreKeyAsync(1);
        using KemPreKey? loadedOneTime = await _store.GetKemPreKeyAsync(2);
        Assert.Equal(KemPreKeyKind.LastResort, loadedLastResort!.Kind);
        Assert.Equal(KemPreKeyKind.OneTime, loadedOneTime!.Kind);
        Assert.Equal(oneTime.SecretKey.ToArray(), loadedOneTime.SecretKey.ToArray());
    }

    [Fact]
    public async Task RemoveKemPreKeyAsync_Present_GetReturnsNull()
    {
        using var key = KemPreKey.Generate(_identity, 2, KemPreKeyKind.OneTime);
        await _store.SaveKemPreKeyAsync(key);
        Assert.True(await _store.RemoveKemPreKeyAsync(2));
        Assert.Null(await _store.GetKemPreKeyAsync(2));
        Assert.False(await _store.RemoveKemPreKeyAsync(2));
    }

    [Fact]
    public async Task RemoveKemPreKeyAsync_ConcurrentCallers_ExactlyOneRemovesIt()
    {
        using var key = KemPreKey.Generate(_identity, 2, KemPreKeyKind.OneTime);
        await _store.SaveKemPreKeyAsync(key);
        bool[] removed = await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => Task.Run(async () => await _store.RemoveKemPreKeyAsync(2))));
        Assert.Equal(1, removed.Count(r => r));
    }
}
