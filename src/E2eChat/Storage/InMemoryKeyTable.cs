namespace E2eChat;

/// <summary>
/// The shared body of the in-memory pre-key stores: a locked map from id to an owned copy of a key;
/// copies go in and out, replaced and removed copies are wiped.
/// </summary>
/// <typeparam name="T">The key type.</typeparam>
internal sealed class InMemoryKeyTable<T> : IDisposable
    where T : class, IDisposable
{
    private readonly Dictionary<uint, T> _keys = [];
    private readonly Func<T, T> _clone;
    private readonly Lock _lock = new();
    private bool _disposed;

    internal InMemoryKeyTable(Func<T, T> clone)
    {
        _clone = clone;
    }

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

    internal T? Get(uint id)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _keys.TryGetValue(id, out T? key) ? _clone(key) : null;
        }
    }

    internal void Save(uint id, T key)
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
    internal bool Remove(uint id)
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
