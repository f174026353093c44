namespace E2eChat;

/// <summary>
/// An in-memory <see cref="ISenderKeyStore"/> for tests and for applications that persist elsewhere:
/// records are kept as copies and wiped when replaced, removed, or when the store is disposed. Versions
/// come from one counter for the whole store, so none is ever reused. Thread-safe.
/// </summary>
internal sealed class InMemorySenderKeyStore : ISenderKeyStore, IDisposable
{
    private readonly InMemoryRecordTable<SenderKeyName> _table = new();

    /// <summary>The number of records held.</summary>
    public int Count => _table.Count;

    /// <inheritdoc/>
    public ValueTask<VersionedRecord> LoadSenderKeyAsync(SenderKeyName name, long knownVersion = 0, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_table.Load(name, knownVersion));
    }

    /// <inheritdoc/>
    public ValueTask<long> TryStoreSenderKeyAsync(SenderKeyName name, ReadOnlyMemory<byte> record, long expectedVersion, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_table.TryStore(name, record.Span, expectedVersion));
    }

    /// <inheritdoc/>
    public ValueTask RemoveSenderKeyAsync(SenderKeyName name, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _table.Remove(name);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<SenderKeyName>> GetSenderKeyNamesAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_table.Keys());
    }

    /// <summary>Wipes every record held.</summary>
    public void Dispose() => _table.Dispose();
}
