using System.Security.Cryptography;

namespace E2eChat;

/// <summary>
/// An <see cref="ISessionStore"/> in process memory, for tests, demos and apps that persist elsewhere.
/// Records are copied in and out; replaced and deleted records are wiped. Versions come from one
/// counter for the whole store, so none is ever reused. Thread-safe.
/// </summary>
internal sealed class InMemorySessionStore : ISessionStore, IDisposable
{
    private readonly Dictionary<ProtocolAddress, Entry> _entries = [];
    private readonly Lock _lock = new();
    private long _lastVersion;
    private int _count;

    /// <summary>The number of stored records.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _count;
            }
        }
    }

    /// <inheritdoc/>
    public ValueTask<VersionedRecord> LoadSessionAsync(ProtocolAddress address, long knownVersion = 0, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            if (!_entries.TryGetValue(address, out Entry entry))
            {
                return ValueTask.FromResult(default(VersionedRecord));
            }

            byte[]? copy = entry.Version == knownVersion ? null : entry.Record?.AsSpan().ToArray();
            return ValueTask.FromResult(new VersionedRecord(entry.Version, copy));
        }
    }

    /// <inheritdoc/>
    public ValueTask<long> TryStoreSessionAsync(ProtocolAddress address, ReadOnlyMemory<byte> record, long expectedVersion, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ArgumentOutOfRangeException.ThrowIfNegative(expectedVersion);
        byte[] copy = record.ToArray();
        lock (_lock)
        {
            _entries.TryGetValue(address, out Entry current);
            if (current.Version != expectedVersion)
            {
                CryptographicOperations.ZeroMemory(copy);
                return ValueTask.FromResult(0L);
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
            _entries[address] = new Entry(version, copy);
            return ValueTask.FromResult(version);
        }
    }

    /// <inheritdoc/>
    public ValueTask DeleteSessionAsync(ProtocolAddress address, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            if (_entries.TryGetValue(address, out Entry current))
            {
                if (current.Record is not null)
                {
                    CryptographicOperations.ZeroMemory(current.Record);
                    _count--;
                }

                // A tombstone: the address keeps a fresh version, never one a cache may still hold.
                _entries[address] = new Entry(++_lastVersion, null);
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Wipes every record.</summary>
    public void Dispose()
    {
        lock (_lock)
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
    }

    private readonly record struct Entry(long Version, byte[]? Record);
}
