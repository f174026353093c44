namespace E2eChat;

/// <summary>
/// An in-memory <see cref="IKemPreKeyStore"/> for tests and for applications that persist elsewhere: ML-KEM-768 pre-keys (one-time and last-resort)
/// are kept as copies and wiped when removed, replaced, or when the store is disposed. Thread-safe.
/// </summary>
internal sealed class InMemoryKemPreKeyStore() : InMemoryPreKeyStore<KemPreKey>(static key => key.Clone(), static key => key.Id), IKemPreKeyStore
{
    /// <inheritdoc/>
    public ValueTask<KemPreKey?> GetKemPreKeyAsync(uint id, CancellationToken cancellationToken = default) => GetAsync(id, cancellationToken);

    /// <inheritdoc/>
    public ValueTask SaveKemPreKeyAsync(KemPreKey key, CancellationToken cancellationToken = default) => SaveAsync(key, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<bool> RemoveKemPreKeyAsync(uint id, CancellationToken cancellationToken = default) => RemoveAsync(id, cancellationToken);
}
