
namespace E2eChat.Tests.Storage;

public sealed class InMemorySignedPreKeyStoreTests : SignedPreKeyStoreContractTests
{
    private readonly InMemorySignedPreKeyStore _store = new();

    protected override ISignedPreKeyStore Store => _store;

    [Fact]
    public async Task Ids_AfterSaveAndRemove_ListsHeldKeys()
    {
        using var first = SignedPreKey.Generate(Identity, 1);
        using var second = SignedPreKey.Generate(Identity, 2);
        await _store.SaveSignedPreKeyAsync(first);
        await _store.SaveSignedPreKeyAsync(second);
        await _store.RemoveSignedPreKeyAsync(1);
        Assert.Equal([2u], _store.Ids);
    }

    [Fact]
    public async Task Dispose_ThenGet_ThrowsObjectDisposedException()
    {
        using var key = SignedPreKey.Generate(Identity, 1);
        await _store.SaveSignedPreKeyAsync(key);
        _store.Dispose();
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await _store.GetSignedPreKeyAsync(1));
    }

    public override void Dispose()
    {
        _store.Dispose();
        base.Dispose();
    }
}
