
namespace E2eChat.Tests.Storage;

public sealed class InMemorySenderKeyStoreTests : SenderKeyStoreContractTests
{
    private static readonly SenderKeyName s_name = new(new ProtocolAddress("alice", 1), new DistributionId(new byte[16]));

    private readonly InMemorySenderKeyStore _store = new();

    protected override ISenderKeyStore Store => _store;

    protected override int Count => _store.Count;

    [Fact]
    public async Task Dispose_ThenUse_ThrowsObjectDisposed()
    {
        var store = new InMemorySenderKeyStore();
        await store.TryStoreSenderKeyAsync(s_name, new byte[] { 1 }, 0);
        store.Dispose();
        store.Dispose();
        Assert.Equal(0, store.Count);
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await store.LoadSenderKeyAsync(s_name));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await store.TryStoreSenderKeyAsync(s_name, new byte[] { 1 }, 0));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await store.RemoveSenderKeyAsync(s_name));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await store.GetSenderKeyNamesAsync());
    }

    public override void Dispose() => _store.Dispose();
}
