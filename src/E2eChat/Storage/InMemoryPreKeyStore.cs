namespace E2eChat;

/// <summary>
/// The shared body of the in-memory pre-key stores (<see cref="InMemorySignedPreKeyStore"/>,
/// <see cref="InMemoryOneTimePreKeyStore"/>, <see cref="InMemoryKemPreKeyStore"/>): a locked map from
/// id to an owned copy of a key; copies go in and out, replaced and removed copies are wiped, and
/// disposing the store wipes every key held. Thread-safe.
/// </summary>
/// <typeparam name="T">The key type.</typeparam>
internal abstract class InMemoryPreKeyStore<T> : IDisposable
    where T : class, IDisposable
{
    private readonly Dictionary<uint, T> _keys = [];
    private readonly Func<T, T> _clone;
    private readonly Func<T, uint> _id;
    private readonly Lock _lock = new();
    private bool _disposed;

    /// <summary>Creates an empty store.</summary>
    /// <param name="clone">Makes an owned copy of a key.</param>
    /// <param name="id">Reads a key's id.</param>
    private protected InMemoryPreKeyStore(Func<T, T> clone, Func<T, uint> id)
    {
        _clone = clone;
        _id = id;
    }

    /// <summary>The number of keys held.</summary>
    internal int Count
    {
        get
        {
            lock (_lock)
            {
                return _keys.Count;
            }
        }
    }

    /// <summary>The ids of the keys held, ascending.</summary>
    internal IReadOnlyList<uint> Ids
    {
        get
        {
            lock (_lock)
            {
                return [.. _keys.Keys.Order()];
            }
        }
    }

    /// <summary>A copy of the key with <paramref name="id"/>, which the caller disposes.</summary>
    /// <param name="id">The key's id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The copy, or <see langword="null"/> when no key has the id.</returns>
    private protected ValueTask<T?> GetAsync(uint id, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Get(id));
    }

    /// <summary>Stores a copy of <paramref name="key"/> under its id, replacing (and wiping) any key with that id.</summary>
    /// <param name="key">The key; the caller keeps ownership.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A completed task.</returns>
    private protected ValueTask SaveAsync(T key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        cancellationToken.ThrowIfCancellationRequested();
        Save(_id(key), key);
        return ValueTask.CompletedTask;
    }

    /// <summary>Removes and wipes the key with <paramref name="id"/>.</summary>
    /// <param name="id">The key's id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>Whether a key was removed.</returns>
    private protected ValueTask<bool> RemoveAsync(uint id, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Remove(id));
    }

    private T? Get(uint id)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _keys.TryGetValue(id, out T? key) ? _clone(key) : null;
        }
    }

    private void Save(uint id, T key)
    {
        T copy = _clone(key);
        lock (_lock)
        {
            if (_disposed)
            {
                copy.Dispose();
                throw new ObjectDisposedException(GetType().Name);
            }

            if (_keys.Remove(id, out T? replaced))
            {
                replaced.Dispose();
            }

            _keys.Add(id, copy);
        }
    }

    /// <summary>Removes the key with <paramref name="id"/>; under the lock, so exactly one concurrent caller gets <see langword="true"/>.</summary>
    /// <param name="id">The key's id.</param>
    /// <returns>Whether a key was removed.</returns>
    private protected bool Remove(uint id)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_keys.Remove(id, out T? removed))
            {
                return false;
            }

            removed.Dispose();
            return true;
        }
    }

    /// <summary>Wipes every key held.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            foreach (T key in _keys.Values)
            {
                key.Dispose();
            }

            _keys.Clear();
        }
    }
}
