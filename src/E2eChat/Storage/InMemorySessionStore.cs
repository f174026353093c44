namespace E2eChat;

/// <summary>
/// An <see cref="ISessionStore"/> in process memory, for tests, demos and apps that persist elsewhere.
/// Records are copied in and out; replaced and deleted records are wiped. Versions come from one
/// counter for the whole store, so none is ever reused. Thread-safe.
/// </summary>
internal sealed class InMemorySessionStore : InMemoryRecordStore<ProtocolAddress>, ISessionStore, IDisposable
{
    /// <inheritdoc/>
    public ValueTask<VersionedRecord> LoadSessionAsync(ProtocolAddress address, long knownVersion = 0, CancellationToken cancellationToken = default) => LoadAsync(address, knownVersion, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<long> TryStoreSessionAsync(ProtocolAddress address, ReadOnlyMemory<byte> record, long expectedVersion, CancellationToken cancellationToken = default) => TryStoreAsync(address, record, expectedVersion, cancellationToken);

    /// <inheritdoc/>
    public ValueTask DeleteSessionAsync(ProtocolAddress address, CancellationToken cancellationToken = default) => RemoveAsync(address, cancellationToken);

    /// <summary>Wipes every record; the store stays usable (and empty).</summary>
    public void Dispose() => Clear();
}
