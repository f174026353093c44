namespace E2eChat;

/// <summary>
/// An in-memory <see cref="ISignedPreKeyStore"/> for tests and for applications that persist elsewhere: signed pre-keys
/// are kept as copies and wiped when removed, replaced, or when the store is disposed. Thread-safe.
/// </summary>
internal sealed class InMemorySignedPreKeyStore() : InMemoryPreKeyStore<SignedPreKey>(static key => key.Clone(), static key => key.Id), ISignedPreKeyStore
{
    /// <inheritdoc/>
    public ValueTask<SignedPreKey?> GetSignedPreKeyAsync(uint id, CancellationToken cancellationToken = default) => GetAsync(id, cancellationToken);

    /// <inheritdoc/>
    public ValueTask SaveSignedPreKeyAsync(SignedPreKey key, CancellationToken cancellationToken = default) => SaveAsync(key, cancellationToken);

    /// <inheritdoc/>
    public ValueTask RemoveSignedPreKeyAsync(uint id, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _ = Remove(id);
        return ValueTask.CompletedTask;
    }
}
