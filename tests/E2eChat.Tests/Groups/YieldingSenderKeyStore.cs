
namespace E2eChat.Tests.Groups;

/// <summary>
/// Test helper (not a test class): an <see cref="ISenderKeyStore"/> that yields before and after every
/// call, as a database does, and can refuse every write (as if another writer always won).
/// </summary>
internal sealed class YieldingSenderKeyStore(ISenderKeyStore inner) : ISenderKeyStore
{
    private int _writes;

    /// <summary>Whether every write is refused.</summary>
    internal bool RefuseWrites { get; set; }

    /// <summary>How many writes were attempted.</summary>
    internal int Writes => Volatile.Read(ref _writes);

    public async ValueTask<VersionedRecord> LoadSenderKeyAsync(SenderKeyName name, long knownVersion = 0, CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        VersionedRecord result = await inner.LoadSenderKeyAsync(name, knownVersion, cancellationToken);
        await Task.Yield();
        return result;
    }

    public async ValueTask<long> TryStoreSenderKeyAsync(SenderKeyName name, ReadOnlyMemory<byte> record, long expectedVersion, CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        Interlocked.Increment(ref _writes);
        long version = RefuseWrites ? 0 : await inner.TryStoreSenderKeyAsync(name, record, expectedVersion, cancellationToken);
        await Task.Yield();
        return version;
    }

    public async ValueTask RemoveSenderKeyAsync(SenderKeyName name, CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        await inner.RemoveSenderKeyAsync(name, cancellationToken);
    }

    public async ValueTask<IReadOnlyList<SenderKeyName>> GetSenderKeyNamesAsync(CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        return await inner.GetSenderKeyNamesAsync(cancellationToken);
    }
}
