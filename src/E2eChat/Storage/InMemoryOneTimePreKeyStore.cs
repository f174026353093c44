namespace E2eChat;

/// <summary>
/// An in-memory <see cref="IOneTimePreKeyStore"/> for tests and for applications that persist elsewhere: one-time X25519 pre-keys
/// are kept as copies and wiped when removed, replaced, or when the store is disposed. Thread-safe.
/// </summary>
internal sealed class InMemoryOneTimePreKeyStore() : InMemoryPreKeyStore<OneTimePreKey>(static key => key.Clone(), static key => key.Id), IOneTimePreKeyStore
{
    /// <inheritdoc/>
    public ValueTask<OneTimePreKey?> GetOneTimePreKeyAsync(uint id, CancellationToken cancellationToken = default) => GetAsync(id, cancellationToken);

    /// <inheritdoc/>
    public ValueTask SaveOneTimePreKeyAsync(OneTimePreKey key, CancellationToken cancellationToken = default) => SaveAsync(key, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<bool> RemoveOneTimePreKeyAsync(uint id, CancellationToken cancellationToken = default) => RemoveAsync(id, cancellationToken);
}
