
namespace E2eChat;

/// <summary>
/// An in-memory <see cref="ISignedPreKeyStore"/> for tests and for applications that persist elsewhere: signed pre-keys
/// are kept as copies and wiped when removed, replaced, or when the store is disposed. Thread-safe.
/// </summary>
internal sealed class InMemorySignedPreKeyStore : ISignedPreKeyStore, IDisposable
{
    private readonly InMemoryKeyTable<SignedPreKey> _table = new(static key => key.Clone());

    /// <summary>The number of keys held.</summary>
    public int Count => _table.Count;

    /// <summary>The ids of the keys held, ascending.</summary>
    public IReadOnlyList<uint> Ids => _table.Ids;

    /// <inheritdoc/>
    public ValueTask<SignedPreKey?> GetSignedPreKeyAsync(uint id, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_table.Get(id));
    }

    /// <inheritdoc/>
    public ValueTask SaveSignedPreKeyAsync(SignedPreKey key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        cancellationToken.ThrowIfCancellationRequested();
        _table.Save(key.Id, key);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask RemoveSignedPreKeyAsync(uint id, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _ = _table.Remove(id);
        return ValueTask.CompletedTask;
    }

    /// <summary>Wipes every key held.</summary>
    public void Dispose() => _table.Dispose();
}
