using System.Security.Cryptography;

namespace E2eChat;

/// <summary>
/// An in-memory <see cref="ISenderKeyStore"/> for tests and for applications that persist elsewhere:
/// records are kept as copies and wiped when replaced, removed, or when the store is disposed. Versions
/// come from one counter for the whole store, so none is ever reused. Thread-safe.
/// </summary>
internal sealed class InMemorySenderKeyStore : ISenderKeyStore, IDisposable
{
    private readonly Dictionary<SenderKeyName, Entry> _entries = [];
    private readonly Lock _lock = new();
    private long _lastVersion;
    private int _count;
    private bool _disposed;

    /// <summary>The number of records held.</summary>
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
    public ValueTask<VersionedRecord> LoadSenderKeyAsync(SenderKeyName name, long knownVersion = 0, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_entries.TryGetValue(name, out Entry entry))
            {
                return ValueTask.FromResult(default(VersionedRecord));
            }

            byte[]? copy = entry.Version == knownVersion ? null : (byte[]?)entry.Record?.Clone();
            return ValueTask.FromResult(new VersionedRecord(entry.Version, copy));
        }
    }

    /// <inheritdoc/>
    public ValueTask<long> TryStoreSenderKeyAsync(SenderKeyName name, ReadOnlyMemory<byte> record, long expectedVersion, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ArgumentOutOfRangeException.ThrowIfNegative(expectedVersion);
        byte[] copy = record.ToArray();
        lock (_lock)
        {
            if (_disposed)
            {
                CryptographicOperations.ZeroMemory(copy);
                throw new ObjectDisposedException(GetType().Name);
            }

            _entries.TryGetValue(name, out Entry current);
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
            _entries[name] = new Entry(version, copy);
            return ValueTask.FromResult(version);
        }
    }

    /// <inheritdoc/>
    public ValueTask RemoveSenderKeyAsync(SenderKeyName name, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_entries.TryGetValue(name, out Entry current))
            {
                if (current.Record is not null)
                {
                    CryptographicOperations.ZeroMemory(current.Record);
                    _count--;
                }

                _entries[name] = new Entry(++_lastVersion, null);
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<SenderKeyName>> GetSenderKeyNamesAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return ValueTask.FromResult<IReadOnlyList<SenderKeyName>>([.. _entries.Where(e => e.Value.Record is not null).Select(e => e.Key)]);
        }
    }

    /// <summary>Wipes every record held.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
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
