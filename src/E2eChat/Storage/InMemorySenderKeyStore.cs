namespace E2eChat;

/// <summary>
/// An in-memory <see cref="ISenderKeyStore"/> for tests and for applications that persist elsewhere:
/// records are kept as copies and wiped when replaced, removed, or when the store is disposed. Versions
/// come from one counter for the whole store, so none is ever reused. Thread-safe.
/// </summary>
internal sealed class InMemorySenderKeyStore : InMemoryRecordStore<SenderKeyName>, ISenderKeyStore, IDisposable
{
    /// <inheritdoc/>
    public ValueTask<VersionedRecord> LoadSenderKeyAsync(SenderKeyName name, long knownVersion = 0, CancellationToken cancellationToken = default) => LoadAsync(name, knownVersion, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<long> TryStoreSenderKeyAsync(SenderKeyName name, ReadOnlyMemory<byte> record, long expectedVersion, CancellationToken cancellationToken = default) => TryStoreAsync(name, record, expectedVersion, cancellationToken);

    /// <inheritdoc/>
    public ValueTask RemoveSenderKeyAsync(SenderKeyName name, CancellationToken cancellationToken = default) => RemoveAsync(name, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<SenderKeyName>> GetSenderKeyNamesAsync(CancellationToken cancellationToken = default) => KeysAsync(cancellationToken);

    /// <summary>Wipes every record held.</summary>
    public void Dispose() => Close();
}
