
namespace E2eChat.Tests.Storage;

/// <summary>
/// The conformance suite of the versioned store contract (PROTOCOL.md section 10.1), shared by every
/// implementation of <see cref="ISessionStore"/> and <see cref="ISenderKeyStore"/>: derive from it
/// once per implementation (in-memory here; SQLite in E2eChat.Storage.Sqlite.Tests, which compiles this folder in).
/// </summary>
/// <typeparam name="TKey">What the store's records are keyed by.</typeparam>
public abstract class VersionedStoreContractTests<TKey> : IDisposable
    where TKey : notnull
{
    /// <summary>A key.</summary>
    protected abstract TKey KeyA { get; }

    /// <summary>Another key.</summary>
    protected abstract TKey KeyB { get; }

    /// <summary>The number of records held (deleted ones not counted).</summary>
    protected abstract int Count { get; }

    [Fact]
    public async Task Load_NeverWritten_VersionZeroAndNoRecord()
    {
        VersionedRecord loaded = await LoadAsync(KeyA, 0);
        Assert.Equal(0, loaded.Version);
        Assert.Null(loaded.Record);
    }

    [Fact]
    public async Task TryStore_FromVersionZero_CreatesRecordAtAPositiveVersion()
    {
        long version = await TryStoreAsync(KeyA, [1, 2, 3], 0);
        Assert.True(version > 0);
        VersionedRecord loaded = await LoadAsync(KeyA, 0);
        Assert.Equal(version, loaded.Version);
        Assert.Equal(new byte[] { 1, 2, 3 }, loaded.Record);
        Assert.Equal(1, Count);
    }

    [Fact]
    public async Task TryStore_StaleVersion_WritesNothingAndReturnsZero()
    {
        long first = await TryStoreAsync(KeyA, [1], 0);
        long second = await TryStoreAsync(KeyA, [2], first);
        Assert.NotEqual(0, second);
        Assert.NotEqual(first, second);

        Assert.Equal(0, await TryStoreAsync(KeyA, [3], first));
        Assert.Equal(0, await TryStoreAsync(KeyA, [3], 0));
        VersionedRecord loaded = await LoadAsync(KeyA, 0);
        Assert.Equal(second, loaded.Version);
        Assert.Equal(new byte[] { 2 }, loaded.Record);
    }

    [Fact]
    public async Task Load_KnownVersion_ReturnsTheVersionWithoutBytes()
    {
        long version = await TryStoreAsync(KeyA, [7], 0);
        VersionedRecord unchanged = await LoadAsync(KeyA, version);
        Assert.Equal(version, unchanged.Version);
        Assert.Null(unchanged.Record);

        long next = await TryStoreAsync(KeyA, [8], version);
        VersionedRecord changed = await LoadAsync(KeyA, version);
        Assert.Equal(next, changed.Version);
        Assert.Equal(new byte[] { 8 }, changed.Record);
    }

    [Fact]
    public async Task Delete_GivesANewVersion_NoVersionIsEverReused()
    {
        long first = await TryStoreAsync(KeyA, [1], 0);
        await DeleteAsync(KeyA);
        VersionedRecord deleted = await LoadAsync(KeyA, first);
        Assert.Null(deleted.Record);
        Assert.NotEqual(first, deleted.Version);
        Assert.NotEqual(0, deleted.Version);
        Assert.Equal(0, Count);

        // A writer still holding the deleted record's version cannot write over the deletion...
        Assert.Equal(0, await TryStoreAsync(KeyA, [2], first));

        // ...and the record written again never comes back under an old version.
        long again = await TryStoreAsync(KeyA, [3], deleted.Version);
        Assert.DoesNotContain(again, new[] { 0, first, deleted.Version });
        Assert.Equal(new byte[] { 3 }, (await LoadAsync(KeyA, first)).Record);
    }

    [Fact]
    public async Task Delete_NeverWritten_IsANoOp()
    {
        await DeleteAsync(KeyA);
        Assert.Null((await LoadAsync(KeyA, 0)).Record);
        Assert.NotEqual(0, await TryStoreAsync(KeyA, [1], (await LoadAsync(KeyA, 0)).Version));
    }

    [Fact]
    public async Task Records_AreCopiedInAndOut()
    {
        byte[] record = [1, 2, 3];
        long version = await TryStoreAsync(KeyA, record, 0);
        record[0] = 9;
        byte[] loaded = (await LoadAsync(KeyA, 0)).Record!;
        Assert.Equal(new byte[] { 1, 2, 3 }, loaded);
        loaded[1] = 9;
        Assert.Equal(new byte[] { 1, 2, 3 }, (await LoadAsync(KeyA, 0)).Record);
    }

    [Fact]
    public async Task Keys_AreIndependent()
    {
        long a = await TryStoreAsync(KeyA, [1], 0);
        long b = await TryStoreAsync(KeyB, [2], 0);
        Assert.NotEqual(0, b);
        await DeleteAsync(KeyB);
        Assert.Equal(a, (await LoadAsync(KeyA, 0)).Version);
        Assert.Equal(new byte[] { 1 }, (await LoadAsync(KeyA, 0)).Record);
        Assert.Equal(1, Count);
    }

    [Fact]
    public async Task TryStore_ConcurrentWritersFromOneVersion_ExactlyOneWins()
    {
        long start = await TryStoreAsync(KeyA, [0], 0);
        long[] results = await Task.WhenAll(Enumerable.Range(1, 32).Select(i => Task.Run(async () =>
        {
            await Task.Yield();
            return await TryStoreAsync(KeyA, [(byte)i], start);
        })));

        long winner = Assert.Single(results, r => r != 0);
        VersionedRecord loaded = await LoadAsync(KeyA, 0);
        Assert.Equal(winner, loaded.Version);
        Assert.Equal((byte)(Array.IndexOf(results, winner) + 1), Assert.Single(loaded.Record!));
    }

    [Fact]
    public async Task Methods_Cancelled_ThrowAndWriteNothing()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await LoadAsync(KeyA, 0, cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await TryStoreAsync(KeyA, [1], 0, cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await DeleteAsync(KeyA, cancelled.Token));
        Assert.Equal(0, Count);
        Assert.Equal(0, (await LoadAsync(KeyA, 0)).Version);
    }

    public abstract void Dispose();

    /// <summary>The store's load.</summary>
    protected abstract ValueTask<VersionedRecord> LoadAsync(TKey key, long knownVersion, CancellationToken cancellationToken = default);

    /// <summary>The store's compare-and-swap write.</summary>
    protected abstract ValueTask<long> TryStoreAsync(TKey key, byte[] record, long expectedVersion, CancellationToken cancellationToken = default);

    /// <summary>The store's delete.</summary>
    protected abstract ValueTask DeleteAsync(TKey key, CancellationToken cancellationToken = default);
}
