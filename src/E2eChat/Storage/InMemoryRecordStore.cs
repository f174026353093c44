using System.Security.Cryptography;

namespace E2eChat;

/// <summary>
/// The shared body of the in-memory versioned record stores (<see cref="InMemorySessionStore"/>,
/// <see cref="InMemorySenderKeyStore"/>): a locked map from a key to an owned copy of a serialized
/// record and its version. Records are copied in and out; replaced and removed records are wiped.
/// Versions come from one counter for the whole store, so none is ever reused, and a removed key
/// keeps a tombstone with a fresh version, never one a cache may still hold. Thread-safe.
/// </summary>
/// <typeparam name="TKey">What names a record.</typeparam>
internal abstract class InMemoryRecordStore<TKey>
    where TKey : notnull
{
    private readonly Dictionary<TKey, Entry> _entries = [];
    private readonly Lock _lock = new();
    private long _lastVersion;
    private int _count;
    private bool _disposed;

    /// <summary>The number of records held (tombstones not counted).</summary>
    internal int Count
    {
        get
        {
            lock (_lock)
            {
                return _count;
            }
        }
    }

    /// <summary>Loads a record and its version; the bytes are left out when the version is <paramref name="knownVersion"/>.</summary>
    /// <param name="key">The record's key.</param>
    /// <param name="knownVersion">The version the caller already holds, or 0.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The version and a copy of the record; the default when the key was never stored.</returns>
    private protected ValueTask<VersionedRecord> LoadAsync(TKey key, long knownVersion, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Load(key, knownVersion));
    }

    /// <summary>Stores a copy of <paramref name="record"/> if the key's version is still <paramref name="expectedVersion"/>.</summary>
    /// <param name="key">The record's key.</param>
    /// <param name="record">The serialized record.</param>
    /// <param name="expectedVersion">The version the caller loaded (0 for none).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The new version, or 0 when another write came first.</returns>
    private protected ValueTask<long> TryStoreAsync(TKey key, ReadOnlyMemory<byte> record, long expectedVersion, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(TryStore(key, record.Span, expectedVersion));
    }

    /// <summary>Wipes a record and leaves a tombstone with a fresh version; nothing when the key was never stored.</summary>
    /// <param name="key">The record's key.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A completed task.</returns>
    private protected ValueTask RemoveAsync(TKey key, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Remove(key);
        return ValueTask.CompletedTask;
    }

    /// <summary>The keys that hold a record (not tombstones).</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A snapshot of the keys.</returns>
    private protected ValueTask<IReadOnlyList<TKey>> KeysAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Keys());
    }

    private VersionedRecord Load(TKey key, long knownVersion)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_entries.TryGetValue(key, out Entry entry))
            {
                return default;
            }

            byte[]? copy = entry.Version == knownVersion ? null : entry.Record?.AsSpan().ToArray();
            return new VersionedRecord(entry.Version, copy);
        }
    }

    private long TryStore(TKey key, ReadOnlySpan<byte> record, long expectedVersion)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(expectedVersion);
        byte[] copy = record.ToArray();
        lock (_lock)
        {
            if (_disposed)
            {
                CryptographicOperations.ZeroMemory(copy);
                throw new ObjectDisposedException(GetType().Name);
            }

            _entries.TryGetValue(key, out Entry current);
            if (current.Version != expectedVersion)
            {
                CryptographicOperations.ZeroMemory(copy);
                return 0L;
            }

            if (current.Record is null)
            {
                _count++;
            }
            else
            {
                CryptographicOperations.ZeroMemory(current.Record);
            }

            long version = ++_lastVersion;
            _entries[key] = new Entry(version, copy);
            return version;
        }
    }

    private void Remove(TKey key)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_entries.TryGetValue(key, out Entry current))
            {
                if (current.Record is not null)
                {
                    CryptographicOperations.ZeroMemory(current.Record);
                    _count--;
                }

                _entries[key] = new Entry(++_lastVersion, null);
            }
        }
    }

    private IReadOnlyList<TKey> Keys()
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return [.. _entries.Where(e => e.Value.Record is not null).Select(e => e.Key)];
        }
    }

    /// <summary>Wipes every record held and forgets every key; the store stays usable.</summary>
    private protected void Clear()
    {
        lock (_lock)
        {
            WipeAll();
        }
    }

    /// <summary>Wipes every record held; every later use throws <see cref="ObjectDisposedException"/>.</summary>
    private protected void Close()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            WipeAll();
        }
    }

    private void WipeAll()
    {
        foreach (Entry entry in _entries.Values)
        {
            if (entry.Record is not null)
            {
                CryptographicOperations.ZeroMemory(entry.Record);
            }
        }

        _entries.Clear();
        _count = 0;
    }

    private readonly record struct Entry(long Version, byte[]? Record);
}
