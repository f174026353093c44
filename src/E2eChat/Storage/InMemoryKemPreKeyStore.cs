
namespace E2eChat;

/// <summary>
/// An in-memory <see cref="IKemPreKeyStore"/> for tests and for applications that persist elsewhere: ML-KEM-768 pre-keys (one-time and last-resort)
/// are kept as copies and wiped when removed, replaced, or when the store is disposed. Thread-safe.
/// </summary>
internal sealed class InMemoryKemPreKeyStore : IKemPreKeyStore, IDisposable
{
    private readonly InMemoryKeyTable<KemPreKey> _table = new(static key => key.Clone());

    /// <summary>The number of keys held.</summary>
    public int Count => _table.Count;

    /// <summary>The ids of the keys held, ascending.</summary>
    public IReadOnlyList<uint> Ids => _table.Ids;

    /// <inheritdoc/>
    public ValueTask<KemPreKey?> GetKemPreKeyAsync(uint id, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_table.Get(id));
    }

    /// <inheritdoc/>
    public ValueTask SaveKemPreKeyAsync(KemPreKey key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        cancellationToken.ThrowIfCancellationRequested();
        _table.Save(key.Id, key);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask<bool> RemoveKemPreKeyAsync(uint id, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_table.Remove(id));
    }

    /// <summary>Wipes every key held.</summary>
    public void Dispose() => _table.Dispose();
}
