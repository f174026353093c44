using E2eChat.Storage;

namespace E2eChat.Tests.Storage;

public sealed class InMemorySessionStoreTests : VersionedStoreContractTests<ProtocolAddress>
{
    private readonly InMemorySessionStore _store = new();

    protected override ProtocolAddress KeyA { get; } = new("alice", 1);

    protected override ProtocolAddress KeyB { get; } = new("alice", 2);

    protected override int Count => _store.Count;

    [Fact]
    public async Task Dispose_WipesEveryRecord()
    {
        long version = await _store.TryStoreSessionAsync(KeyA, new byte[] { 1 }, 0);
        _store.Dispose();
        Assert.Equal(0, _store.Count);
        Assert.Null((await _store.LoadSessionAsync(KeyA, 0)).Record);
    }

    public override void Dispose() => _store.Dispose();

    protected override ValueTask<VersionedRecord> LoadAsync(ProtocolAddress key, long knownVersion, CancellationToken cancellationToken = default) =>
        _store.LoadSessionAsync(key, knownVersion, cancellationToken);

    protected override ValueTask<long> TryStoreAsync(ProtocolAddress key, byte[] record, long expectedVersion, CancellationToken cancellationToken = default) =>
        _store.TryStoreSessionAsync(key, record, expectedVersion, cancellationToken);

    protected override ValueTask DeleteAsync(ProtocolAddress key, CancellationToken cancellationToken = default) =>
        _store.DeleteSessionAsync(key, cancellationToken);
}
