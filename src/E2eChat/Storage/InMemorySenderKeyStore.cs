using System.Security.Cryptography;
using E2eChat.Groups;

namespace E2eChat.Storage;

/// <summary>
/// An in-memory <see cref="ISenderKeyStore"/> for tests and for applications that persist elsewhere:
/// records are kept as copies and wiped when replaced, removed, or when the store is disposed.
/// Thread-safe.
/// </summary>
public sealed class InMemorySenderKeyStore : ISenderKeyStore, IDisposable
{
    private readonly Dictionary<SenderKeyName, byte[]> _records = [];
    private readonly Lock _lock = new();
    private bool _disposed;

    /// <summary>The number of records held.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _records.Count;
            }
        }
    }

    /// <inheritdoc/>
    public ValueTask<byte[]?> LoadSenderKeyAsync(SenderKeyName name, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return ValueTask.FromResult(_records.TryGetValue(name, out byte[]? record) ? (byte[]?)record.Clone() : null);
        }
    }

    /// <inheritdoc/>
    public ValueTask StoreSenderKeyAsync(SenderKeyName name, ReadOnlyMemory<byte> record, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        byte[] copy = record.ToArray();
        lock (_lock)
        {
            if (_disposed)
            {
                CryptographicOperations.ZeroMemory(copy);
                throw new ObjectDisposedException(GetType().Name);
            }

            if (_records.Remove(name, out byte[]? replaced))
            {
                CryptographicOperations.ZeroMemory(replaced);
            }

            _records.Add(name, copy);
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask RemoveSenderKeyAsync(SenderKeyName name, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_records.Remove(name, out byte[]? removed))
            {
                CryptographicOperations.ZeroMemory(removed);
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
            return ValueTask.FromResult<IReadOnlyList<SenderKeyName>>([.. _records.Keys]);
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
            foreach (byte[] record in _records.Values)
            {
                CryptographicOperations.ZeroMemory(record);
            }

            _records.Clear();
        }
    }
}
