namespace E2eChat;

/// <summary>
/// An <see cref="ISessionStore"/> in process memory, for tests, demos and apps that persist elsewhere.
/// Records are copied in and out; replaced and deleted records are wiped. Versions come from one
/// counter for the whole store, so none is ever reused. Thread-safe.
/// </summary>
internal sealed class InMemorySessionStore : ISessionStore, IDisposable
{
    private readonly InMemoryRecordTable<ProtocolAddress> _table = new();

    /// <summary>The number of stored records.</summary>
    public int Count => _table.Count;

    /// <inheritdoc/>
    public ValueTask<VersionedRecord> LoadSessionAsync(ProtocolAddress address, long knownVersion = 0, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_table.Load(address, knownVersion));
    }

    /// <inheritdoc/>
    public ValueTask<long> TryStoreSessionAsync(ProtocolAddress address, ReadOnlyMemory<byte> record, long expectedVersion, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_table.TryStore(address, record.Span, expectedVersion));
    }

    /// <inheritdoc/>
    public ValueTask DeleteSessionAsync(ProtocolAddress address, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _table.Remove(address);
        return ValueTask.CompletedTask;
    }

    /// <summary>Wipes every record; the store stays usable (and empty).</summary>
    public void Dispose() => _table.Clear();
}
