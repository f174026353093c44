using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace E2eChat.Storage;

/// <summary>
/// An <see cref="ISessionStore"/> in process memory, for tests, demos and apps that persist elsewhere.
/// Records are copied in and out; replaced and deleted records are wiped.
/// </summary>
public sealed class InMemorySessionStore : ISessionStore, IDisposable
{
    private readonly ConcurrentDictionary<ProtocolAddress, byte[]> _records = new();

    /// <summary>The number of stored records.</summary>
    public int Count => _records.Count;

    /// <inheritdoc/>
    public ValueTask<byte[]?> LoadSessionAsync(ProtocolAddress address, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_records.TryGetValue(address, out byte[]? record) ? (byte[]?)record.AsSpan().ToArray() : null);
    }

    /// <inheritdoc/>
    public ValueTask StoreSessionAsync(ProtocolAddress address, ReadOnlyMemory<byte> record, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        byte[] copy = record.ToArray();
        _records.AddOrUpdate(address, copy, (_, old) =>
        {
            CryptographicOperations.ZeroMemory(old);
            return copy;
        });
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask DeleteSessionAsync(ProtocolAddress address, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_records.TryRemove(address, out byte[]? old))
        {
            CryptographicOperations.ZeroMemory(old);
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Wipes every record.</summary>
    public void Dispose()
    {
        foreach (byte[] record in _records.Values)
        {
            CryptographicOperations.ZeroMemory(record);
        }

        _records.Clear();
    }
}
