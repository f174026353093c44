using E2eChat.Groups;
using E2eChat.Storage;

namespace E2eChat.Tests.Storage;

public sealed class InMemorySenderKeyStoreTests : VersionedStoreContractTests<SenderKeyName>
{
    private static readonly SenderKeyName s_name = new(new ProtocolAddress("alice", 1), new DistributionId(new byte[16]));
    private static readonly SenderKeyName s_otherDevice = new(new ProtocolAddress("alice", 2), new DistributionId(new byte[16]));
    private static readonly SenderKeyName s_otherDistribution = new(new ProtocolAddress("alice", 1), new DistributionId([.. new byte[15], 1]));

    private readonly InMemorySenderKeyStore _store = new();

    protected override SenderKeyName KeyA => s_name;

    protected override SenderKeyName KeyB => s_otherDistribution;

    protected override int Count => _store.Count;

    [Fact]
    public async Task GetSenderKeyNamesAsync_ListsHeldRecordsOnly()
    {
        Assert.Empty(await _store.GetSenderKeyNamesAsync());
        await _store.TryStoreSenderKeyAsync(s_name, new byte[] { 1 }, 0);
        await _store.TryStoreSenderKeyAsync(s_otherDevice, new byte[] { 3 }, 0);
        await _store.TryStoreSenderKeyAsync(s_otherDistribution, new byte[] { 4 }, 0);
        await _store.RemoveSenderKeyAsync(s_otherDevice);
        Assert.Equal(new HashSet<SenderKeyName> { s_name, s_otherDistribution }, (await _store.GetSenderKeyNamesAsync()).ToHashSet());
    }

    [Fact]
    public async Task GetSenderKeyNamesAsync_Cancelled_Throws()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await _store.GetSenderKeyNamesAsync(cancelled.Token));
    }

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

    protected override ValueTask<VersionedRecord> LoadAsync(SenderKeyName key, long knownVersion, CancellationToken cancellationToken = default) =>
        _store.LoadSenderKeyAsync(key, knownVersion, cancellationToken);

    protected override ValueTask<long> TryStoreAsync(SenderKeyName key, byte[] record, long expectedVersion, CancellationToken cancellationToken = default) =>
        _store.TryStoreSenderKeyAsync(key, record, expectedVersion, cancellationToken);

    protected override ValueTask DeleteAsync(SenderKeyName key, CancellationToken cancellationToken = default) =>
        _store.RemoveSenderKeyAsync(key, cancellationToken);
}
