using System.Security.Cryptography;

namespace E2eChat;

/// <summary>
/// The shared body of the in-memory versioned record stores (<see cref="InMemorySessionStore"/>,
/// <see cref="InMemorySenderKeyStore"/>): a locked map from a key to an owned copy of a serialized
/// record and its version. Records are copied in and out; replaced and removed records are wiped.
/// Versions come from one counter for the whole table, so none is ever reused, and a removed key
/// keeps a tombstone with a fresh version, never one a cache may still hold. Thread-safe.
/// </summary>
/// <typeparam name="TKey">What names a record.</typeparam>
internal sealed class InMemoryRecordTable<TKey> : IDisposable
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
    /// <returns>The version and a copy of the record; the default when the key was never stored.</returns>
    internal VersionedRecord Load(TKey key, long knownVersion)
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

    /// <summary>Stores a copy of <paramref name="record"/> if the key's version is still <paramref name="expectedVersion"/>.</summary>
    /// <param name="key">The record's key.</param>
    /// <param name="record">The serialized record.</param>
    /// <param name="expectedVersion">The version the caller loaded (0 for none).</param>
    /// <returns>The new version, or 0 when another write came first.</returns>
    internal long TryStore(TKey key, ReadOnlySpan<byte> record, long expectedVersion)
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

    /// <summary>Wipes a record and leaves a tombstone with a fresh version; nothing when the key was never stored.</summary>
    /// <param name="key">The record's key.</param>
    internal void Remove(TKey key)
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

    /// <summary>The keys that hold a record (not tombstones).</summary>
    /// <returns>A snapshot of the keys.</returns>
    internal IReadOnlyList<TKey> Keys()
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return [.. _entries.Where(e => e.Value.Record is not null).Select(e => e.Key)];
        }
    }

    /// <summary>Wipes every record held and forgets every key; the table stays usable.</summary>
    internal void Clear()
    {
        lock (_lock)
        {
            WipeAll();
        }
    }

    /// <summary>Wipes every record held; every later use throws <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
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
