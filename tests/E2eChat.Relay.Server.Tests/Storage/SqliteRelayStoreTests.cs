using System.Security.Cryptography;
using E2eChat.Relay.Server.Addressing;
using E2eChat.Relay.Server.Storage;
using E2eChat.Relay.Server.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace E2eChat.Relay.Server.Tests.Storage;

/// <summary>The conformance suite over a real SQLite file, plus what is specific to the file: reopening and schema versions.</summary>
public sealed class SqliteRelayStoreTests : RelayStoreConformanceTests
{
    private readonly string _directory = TempDirectory.Create();

    internal override async Task<IRelayStore> CreateStoreAsync()
    {
        var store = new SqliteRelayStore(_directory, "Full");
        await store.InitializeAsync(default);
        return store;
    }

    internal override Task DisposeStoreAsync()
    {
        SqliteConnection.ClearAllPools();
        TempDirectory.Delete(_directory);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Reopen_KeepsEverythingCommitted()
    {
        DeviceAddress alice = await RegisterAsync(Names.New("alice"), 1, PartyKind.Person);
        DeviceAddress bob = await RegisterAsync(Names.New("bob"), 1, PartyKind.Person);
        MessageToStore message = Message(alice, new byte[16], bob);
        await StoreAsync(message);
        await Store.DisposeAsync();

        await using var reopened = new SqliteRelayStore(_directory, "Normal");
        await reopened.InitializeAsync(default);
        Assert.Equal(message.Envelope, (await reopened.ReadQueueAsync(bob, 0, 10, 0, default)).Deliveries.Single().Envelope);
        Assert.NotNull(await reopened.GetDeviceAsync(alice, default));
    }

    [Fact]
    public async Task Store_ReportsCommittedEntries_AsReadBack_ExceptATrimmedQueue()
    {
        DeviceAddress alice = await RegisterAsync(Names.New("alice"), 1, PartyKind.Person);
        DeviceAddress bob = await RegisterAsync(Names.New("bob"), 1, PartyKind.Person);
        DeviceAddress carol = await RegisterAsync(Names.New("carol"), 1, PartyKind.Person);
        byte[] id = RandomNumberGenerator.GetBytes(16);
        var reported = new List<StoredDelivery>();
        await Store.StoreAsync([Message(alice, id, bob), Message(alice, RandomNumberGenerator.GetBytes(16), carol), Message(alice, id, bob), Message(alice, RandomNumberGenerator.GetBytes(16), bob)], 1_750_000_000_000, 100, reported, default);

        QueuePage bobs = await Store.ReadQueueAsync(bob, 0, 100, 0, default);
        QueuePage carols = await Store.ReadQueueAsync(carol, 0, 100, 0, default);
        Assert.Equal(
            bobs.Deliveries.Select(d => (bob, d.Sequence, Convert.ToHexString(d.Envelope))).Concat(carols.Deliveries.Select(d => (carol, d.Sequence, Convert.ToHexString(d.Envelope)))).OrderBy(e => e.Item1.Name).ThenBy(e => e.Sequence),
            reported.Select(r => (r.Device, r.Delivery.Sequence, Convert.ToHexString(r.Delivery.Envelope))).OrderBy(e => e.Item1.Name).ThenBy(e => e.Sequence));

        // A batch that trims bob's queue reports nothing for bob: his stream must read the trim count.
        reported.Clear();
        await Store.StoreAsync([Message(alice, RandomNumberGenerator.GetBytes(16), bob), Message(alice, RandomNumberGenerator.GetBytes(16), carol)], 1_750_000_000_000, 2, reported, default);
        Assert.Equal([carol], reported.Select(r => r.Device));
        Assert.Equal(1, (await Store.ReadQueueAsync(bob, 0, 100, 0, default)).Trimmed);
    }

    [Fact]
    public async Task DedupKeys_MovedToDeliveredIds_RetriesStillDuplicates_NewIdsStored()
    {
        var store = (SqliteRelayStore)Store;
        DeviceAddress alice = await RegisterAsync(Names.New("alice"), 1, PartyKind.Person);
        DeviceAddress bob = await RegisterAsync(Names.New("bob"), 1, PartyKind.Person);
        DeviceAddress carol = await RegisterAsync(Names.New("carol"), 1, PartyKind.Person);
        byte[] moved = RandomNumberGenerator.GetBytes(16);
        byte[] recent = RandomNumberGenerator.GetBytes(16);
        Assert.Equal([[DeliveryOutcome.Stored]], await StoreAsync(Message(alice, moved, bob)));
        Assert.Equal((1L, 0L), await KeyCountsAsync(store));

        await store.Write(() => { store.MoveDedupKeys(); return 0; }, default);
        Assert.Equal((0L, 1L), await KeyCountsAsync(store));
        Assert.Equal([[DeliveryOutcome.Stored]], await StoreAsync(Message(alice, recent, bob)));
        Assert.Equal((1L, 1L), await KeyCountsAsync(store));

        // A batch mixing a moved key, a recent key, the same new key twice and the moved id for
        // another device: as if stored one by one.
        byte[] fresh = RandomNumberGenerator.GetBytes(16);
        Assert.Equal(
            [[DeliveryOutcome.Duplicate], [DeliveryOutcome.Duplicate], [DeliveryOutcome.Stored], [DeliveryOutcome.Duplicate], [DeliveryOutcome.Stored]],
            await StoreAsync(Message(alice, moved, bob), Message(alice, recent, bob), Message(alice, fresh, bob), Message(alice, fresh, bob), Message(alice, moved, carol)));
        Assert.Equal((3L, 1L), await KeyCountsAsync(store));
        Assert.Equal(4, (await store.ReadQueueAsync(bob, 0, 100, 0, default)).Deliveries.Count + (await store.ReadQueueAsync(carol, 0, 100, 0, default)).Deliveries.Count);

        // Both tables survive a reopen, and both are swept at expiry.
        await store.DisposeAsync();
        await using var reopened = new SqliteRelayStore(_directory, "Full");
        await reopened.InitializeAsync(default);
        Assert.Equal([[DeliveryOutcome.Duplicate], [DeliveryOutcome.Duplicate]], await reopened.StoreAsync([Message(alice, moved, bob), Message(alice, fresh, bob)], Now, 10_000, default));
        Assert.Equal(4, (await reopened.DeleteExpiredAsync(Later, default)).DedupRecords);
        Assert.Equal((0L, 0L), await KeyCountsAsync(reopened));
        Assert.Equal([[DeliveryOutcome.Stored]], await reopened.StoreAsync([Message(alice, moved, bob)], Later + 1, 10_000, default));
    }

    [Fact]
    public async Task DedupKeys_MovedWhenEnoughCollected_BetweenGroups()
    {
        var store = (SqliteRelayStore)Store;
        store.MoveDedupKeysAfter = 3;
        DeviceAddress alice = await RegisterAsync(Names.New("alice"), 1, PartyKind.Person);
        DeviceAddress bob = await RegisterAsync(Names.New("bob"), 1, PartyKind.Person);
        byte[][] ids = [.. Enumerable.Range(0, 5).Select(_ => RandomNumberGenerator.GetBytes(16))];
        Assert.Equal([[DeliveryOutcome.Stored], [DeliveryOutcome.Stored]], await StoreAsync(Message(alice, ids[0], bob), Message(alice, ids[1], bob)));
        Assert.Equal((2L, 0L), await KeyCountsAsync(store));

        // The third key reaches the count: after its group commits, the three move together.
        Assert.Equal([[DeliveryOutcome.Stored]], await StoreAsync(Message(alice, ids[2], bob)));
        Assert.Equal((0L, 3L), await KeyCountsAsync(store));
        Assert.Equal([[DeliveryOutcome.Stored], [DeliveryOutcome.Stored]], await StoreAsync(Message(alice, ids[3], bob), Message(alice, ids[4], bob)));
        Assert.Equal((2L, 3L), await KeyCountsAsync(store));
        Assert.All((await StoreAsync([.. ids.Select(id => Message(alice, id, bob))])).SelectMany(o => o), o => Assert.Equal(DeliveryOutcome.Duplicate, o));
        Assert.Equal(5, (await store.ReadQueueAsync(bob, 0, 100, 0, default)).Deliveries.Count);
    }

    [Fact]
    public async Task DedupKeys_ReadBackOnOpen_CountTowardsTheNextMove()
    {
        DeviceAddress alice = await RegisterAsync(Names.New("alice"), 1, PartyKind.Person);
        DeviceAddress bob = await RegisterAsync(Names.New("bob"), 1, PartyKind.Person);
        byte[][] ids = [.. Enumerable.Range(0, 3).Select(_ => RandomNumberGenerator.GetBytes(16))];
        await StoreAsync(Message(alice, ids[0], bob), Message(alice, ids[1], bob));
        await Store.DisposeAsync();

        await using var reopened = new SqliteRelayStore(_directory, "Full") { MoveDedupKeysAfter = 3 };
        await reopened.InitializeAsync(default);
        Assert.Equal([[DeliveryOutcome.Duplicate], [DeliveryOutcome.Stored]], await reopened.StoreAsync([Message(alice, ids[1], bob), Message(alice, ids[2], bob)], Now, 10_000, default));
        Assert.Equal((0L, 3L), await KeyCountsAsync(reopened));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task DedupKeys_WriteRolledBack_KeysAsBefore(bool inGroup)
    {
        // A write that moved the recent keys and then failed is rolled back (to its savepoint in a group,
        // wholly alone): the keys are recent again, and still found.
        var store = (SqliteRelayStore)Store;
        DeviceAddress alice = await RegisterAsync(Names.New("alice"), 1, PartyKind.Person);
        DeviceAddress bob = await RegisterAsync(Names.New("bob"), 1, PartyKind.Person);
        byte[] id = RandomNumberGenerator.GetBytes(16);
        await StoreAsync(Message(alice, id, bob));
        Task<int> other = Task.FromResult(0);
        Task<int> failing;
        using (var hold = new WriterHold(store))
        {
            await hold.Started;
            failing = store.Write<int>(
                () =>
                {
                    store.MoveDedupKeys();
                    throw new InvalidOperationException("fails after the move");
                },
                default).AsTask();
            if (inGroup)
            {
                other = store.Write(() => 1, default).AsTask();
            }

            hold.Release();
            await hold.Completion;
        }

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await failing);
        Assert.Equal(inGroup ? 1 : 0, await other);
        Assert.Equal((1L, 0L), await KeyCountsAsync(store));
        Assert.Equal([[DeliveryOutcome.Duplicate]], await StoreAsync(Message(alice, id, bob)));
        Assert.Single((await store.ReadQueueAsync(bob, 0, 100, 0, default)).Deliveries);
    }

    [Fact]
    public async Task DedupKeys_UnknownRecipient_KeyNotKept()
    {
        var store = (SqliteRelayStore)Store;
        DeviceAddress alice = await RegisterAsync(Names.New("alice"), 1, PartyKind.Person);
        var nobody = new DeviceAddress(Names.New("nobody"), 1);
        Assert.Equal([[DeliveryOutcome.UnknownRecipient]], await StoreAsync(Message(alice, RandomNumberGenerator.GetBytes(16), nobody)));
        Assert.Equal((0L, 0L), await KeyCountsAsync(store));
    }

    [Fact]
    public async Task Store_FailedBatch_ReportsNothing()
    {
        DeviceAddress alice = await RegisterAsync(Names.New("alice"), 1, PartyKind.Person);
        DeviceAddress bob = await RegisterAsync(Names.New("bob"), 1, PartyKind.Person);
        var reported = new List<StoredDelivery>();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await Store.StoreAsync([Message(alice, RandomNumberGenerator.GetBytes(16), bob)], 1_750_000_000_000, 100, reported, cancelled.Token));
        Assert.Empty(reported);
        Assert.Empty((await Store.ReadQueueAsync(bob, 0, 100, 0, default)).Deliveries);
    }

    [Fact]
    public async Task Store_ManyCallersAtOnce_EachIdQueuedOnce_SequencesWithoutGap()
    {
        // More concurrent writes than one group commit takes: the writer thread runs them all, in
        // several groups, and each caller gets its own outcome.
        const int Ids = RelayServerLimits.MaxGroupCommitWrites + 44;
        DeviceAddress alice = await RegisterAsync(Names.New("alice"), 1, PartyKind.Person);
        DeviceAddress bob = await RegisterAsync(Names.New("bob"), 1, PartyKind.Person);
        byte[][] ids = [.. Enumerable.Range(0, Ids).Select(_ => RandomNumberGenerator.GetBytes(16))];
        DeliveryOutcome[] outcomes = await Task.WhenAll(ids.Concat(ids).Select(id => Task.Run(async () =>
            (await Store.StoreAsync([Message(alice, id, bob)], 1_750_000_000_000, 10_000, default))[0][0])));

        Assert.Equal(Ids, outcomes.Count(o => o == DeliveryOutcome.Stored));
        Assert.Equal(Ids, outcomes.Count(o => o == DeliveryOutcome.Duplicate));
        QueuePage page = await Store.ReadQueueAsync(bob, 0, 10_000, 0, default);
        Assert.Equal(Enumerable.Range(1, Ids).Select(i => (long)i), page.Deliveries.Select(d => d.Sequence));
    }

    [Fact]
    public async Task Store_ManyCommits_WalCheckpointedAndRestarted_StaysBounded()
    {
        // The writer leaves checkpoints to SqliteCheckpointer; the WAL must still start over from its
        // beginning again and again, not grow with everything ever written (about 25 MiB here). The test
        // lets every requested checkpoint run before the next batch, so the bound does not depend on how
        // the machine schedules the checkpointer's thread (the relay itself never waits for it).
        const int Batches = 500;
        const int EnvelopeLength = 700;
        const long MaxWalBytes = 3L * SqliteCheckpointer.PagesPerCheckpoint * (4096 + 24);
        (DeviceAddress alice, DeviceAddress bob) = await SenderAndRecipientAsync();
        for (int b = 0; b < Batches; b++)
        {
            MessageToStore[] batch = [.. Enumerable.Range(0, RelayServerLimits.MaxBatchEnvelopes).Select(_ =>
                new MessageToStore(alice, RandomNumberGenerator.GetBytes(16), RandomNumberGenerator.GetBytes(EnvelopeLength), 1_750_003_600_000, [bob], [], null))];
            await Store.StoreAsync(batch, 1_750_000_000_000, 1_000_000, default);
            Assert.True(((SqliteRelayStore)Store).Checkpointer.WaitForRequested(TimeSpan.FromMinutes(1)), "a requested checkpoint did not run");
        }

        long walBytes = new FileInfo(Path.Combine(_directory, SqliteRelayStore.FileName + "-wal")).Length;
        Assert.InRange(walBytes, 0, MaxWalBytes);
        Assert.Equal(RelayServerLimits.MaxBatchEnvelopes * Batches, (await Store.ReadQueueAsync(bob, 0, 1_000_000, 0, default)).Deliveries.Count);
    }

    [Fact]
    public async Task Store_FullSync_CommitsWalFramesInFewWrites_ReadsBackAfterReopen()
    {
        // SQLite writes each WAL frame with two writes (header, page); the writer's WAL write buffer
        // passes a commit's frames on as one write (a few more when the WAL starts over: its header).
        const int EnvelopeLength = 700;
        const long MinFrameWrites = 2 * 12;
        const long MaxUnderlyingWrites = 9;
        var store = (SqliteRelayStore)Store;
        (DeviceAddress alice, DeviceAddress bob) = await SenderAndRecipientAsync();
        MessageToStore[] batch = [.. Enumerable.Range(0, RelayServerLimits.MaxBatchEnvelopes).Select(_ =>
            new MessageToStore(alice, RandomNumberGenerator.GetBytes(16), RandomNumberGenerator.GetBytes(EnvelopeLength), 1_750_003_600_000, [bob], [], null))];
        SqliteWalWriteCounts before = store.WriterWalCounts ?? throw new InvalidOperationException("The writer does not use the WAL write buffer.");

        await Store.StoreAsync(batch, 1_750_000_000_000, 1_000_000, default);

        SqliteWalWriteCounts after = store.WriterWalCounts ?? throw new InvalidOperationException("The WAL write buffer closed the writer's WAL.");
        Assert.InRange(after.Writes - before.Writes, MinFrameWrites, long.MaxValue);
        Assert.InRange(after.UnderlyingWrites - before.UnderlyingWrites, 1, MaxUnderlyingWrites);
        Assert.Equal(batch.Select(m => Convert.ToHexString(m.Envelope)), (await Store.ReadQueueAsync(bob, 0, 1_000, 0, default)).Deliveries.Select(d => Convert.ToHexString(d.Envelope)));

        await store.DisposeAsync();
        await using var reopened = new SqliteRelayStore(_directory, "Full");
        await reopened.InitializeAsync(default);
        Assert.Equal(batch.Select(m => Convert.ToHexString(m.Envelope)), (await reopened.ReadQueueAsync(bob, 0, 1_000, 0, default)).Deliveries.Select(d => Convert.ToHexString(d.Envelope)));
    }

    [Fact]
    public async Task Store_FullSync_RolledBackSpill_NothingLeftBuffered_FileIntact()
    {
        // A transaction larger than the page cache spills frames to the WAL before it commits; when it
        // rolls back, what the buffer still holds is passed on at once (not later, when the writer no
        // longer holds the WAL's write lock), and the database stays whole.
        var store = (SqliteRelayStore)Store;
        (DeviceAddress alice, DeviceAddress bob) = await SenderAndRecipientAsync();
        await store.Write(() => store.Command("PRAGMA cache_size=16;").ExecuteNonQuery(), default);
        await store.Write(() => store.Command("CREATE TABLE scratch (x BLOB);").ExecuteNonQuery(), default);
        SqliteWalWriteCounts before = store.WriterWalCounts ?? throw new InvalidOperationException("The writer does not use the WAL write buffer.");

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await store.Write<int>(
            () =>
            {
                store.Command("WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 400) INSERT INTO scratch SELECT randomblob(3000) FROM c;").ExecuteNonQuery();
                throw new InvalidOperationException("rolled back after spilling");
            },
            default));

        SqliteWalWriteCounts after = store.WriterWalCounts ?? throw new InvalidOperationException("The WAL write buffer closed the writer's WAL.");
        Assert.InRange(after.Writes - before.Writes, 2 * 100, long.MaxValue);
        Assert.Equal(0, after.BufferedBytes);

        MessageToStore message = Message(alice, RandomNumberGenerator.GetBytes(16), bob);
        await StoreAsync(message);
        Assert.Equal(0L, await store.Write(() => (long)store.Command("SELECT count(*) FROM scratch;").ExecuteScalar()!, default));
        Assert.Equal("ok", await store.Write(() => (string)store.Command("PRAGMA integrity_check;").ExecuteScalar()!, default));
        await store.DisposeAsync();

        await using var reopened = new SqliteRelayStore(_directory, "Full");
        await reopened.InitializeAsync(default);
        Assert.Equal([Convert.ToHexString(message.Envelope)], (await reopened.ReadQueueAsync(bob, 0, 100, 0, default)).Deliveries.Select(d => Convert.ToHexString(d.Envelope)));
        Assert.Equal("ok", await reopened.Write(() => (string)reopened.Command("PRAGMA integrity_check;").ExecuteScalar()!, default));
    }

    [Fact]
    public async Task Open_NormalSync_WriterKeepsDefaultVfs()
    {
        string directory = TempDirectory.Create();
        try
        {
            await using var store = new SqliteRelayStore(directory, "Normal");
            await store.InitializeAsync(default);
            Assert.Null(store.WriterWalCounts);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            TempDirectory.Delete(directory);
        }
    }

    [Fact]
    public async Task Write_AfterDispose_ObjectDisposed()
    {
        DeviceAddress alice = await RegisterAsync(Names.New("alice"), 1, PartyKind.Person);
        await Store.DisposeAsync();
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await Store.AcknowledgeAsync(alice, [1], 0, default));
    }

    [Fact]
    public async Task Write_BeforeInitialize_Refused()
    {
        string directory = TempDirectory.Create();
        try
        {
            await using var store = new SqliteRelayStore(directory, "Full");
            await Assert.ThrowsAsync<InvalidOperationException>(async () => await store.AcknowledgeAsync(new DeviceAddress("alice", 1), [1], 0, default));
        }
        finally
        {
            TempDirectory.Delete(directory);
        }
    }

    [Fact]
    public async Task Group_OneWriteThrows_OnlyItsEffectsRolledBack_OthersCommitted()
    {
        (DeviceAddress alice, DeviceAddress bob) = await SenderAndRecipientAsync();
        byte[] first = RandomNumberGenerator.GetBytes(16);
        byte[] failing = RandomNumberGenerator.GetBytes(16);
        byte[] last = RandomNumberGenerator.GetBytes(16);
        var store = (SqliteRelayStore)Store;
        using var hold = new WriterHold(store);
        await hold.Started;

        // Queued behind the held write, the three run as one group, each in its own savepoint.
        MessageToStore firstMessage = Message(alice, first, bob);
        MessageToStore lastMessage = Message(alice, last, bob);
        Task<IReadOnlyList<IReadOnlyList<DeliveryOutcome>>> a = Store.StoreAsync([firstMessage], 1_750_000_000_000, 100, default).AsTask();
        Task<int> b = store.Write<int>(
            () =>
            {
                InsertDedupKey(store, bob, failing);
                throw new InvalidOperationException("this write fails after writing");
            },
            default).AsTask();
        Task<IReadOnlyList<IReadOnlyList<DeliveryOutcome>>> c = Store.StoreAsync([lastMessage], 1_750_000_000_000, 100, default).AsTask();
        hold.Release();

        Assert.Equal(DeliveryOutcome.Stored, (await a)[0][0]);
        InvalidOperationException ex = await Assert.ThrowsAsync<InvalidOperationException>(async () => await b);
        Assert.Equal("this write fails after writing", ex.Message);
        Assert.Equal(DeliveryOutcome.Stored, (await c)[0][0]);
        Assert.Equal([Hex(firstMessage), Hex(lastMessage)], (await Store.ReadQueueAsync(bob, 0, 100, 0, default)).Deliveries.Select(d => Convert.ToHexString(d.Envelope)));

        // The failed write's dedup key was rolled back: the id is new.
        Assert.Equal(DeliveryOutcome.Stored, (await Store.StoreAsync([Message(alice, failing, bob)], 1_750_000_000_000, 100, default))[0][0]);
    }

    [Fact]
    public async Task Group_TransactionLostMidGroup_EveryWriteFails_NothingCommitted_WriterGoesOn()
    {
        // SQLite rolls the whole transaction back itself on some errors (SQLITE_FULL, SQLITE_IOERR,
        // SQLITE_NOMEM): the writes before the failing one lose their effects too, so none may succeed.
        (DeviceAddress alice, DeviceAddress bob) = await SenderAndRecipientAsync();
        byte[] first = RandomNumberGenerator.GetBytes(16);
        byte[] last = RandomNumberGenerator.GetBytes(16);
        var store = (SqliteRelayStore)Store;
        using var hold = new WriterHold(store);
        await hold.Started;

        Task<IReadOnlyList<IReadOnlyList<DeliveryOutcome>>> a = Store.StoreAsync([Message(alice, first, bob)], 1_750_000_000_000, 100, default).AsTask();
        Task<int> b = store.Write<int>(
            () =>
            {
                store.Command("ROLLBACK;").ExecuteNonQuery();
                throw new IOException("disk full");
            },
            default).AsTask();
        Task<IReadOnlyList<IReadOnlyList<DeliveryOutcome>>> c = Store.StoreAsync([Message(alice, last, bob)], 1_750_000_000_000, 100, default).AsTask();
        hold.Release();

        await Assert.ThrowsAnyAsync<Exception>(async () => await a);
        await Assert.ThrowsAsync<IOException>(async () => await b);
        await Assert.ThrowsAnyAsync<Exception>(async () => await c);
        Assert.Empty((await Store.ReadQueueAsync(bob, 0, 100, 0, default)).Deliveries);
        Assert.Equal(DeliveryOutcome.Stored, (await Store.StoreAsync([Message(alice, first, bob)], 1_750_000_000_000, 100, default))[0][0]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Write_BodyThrowsOutOfMemory_FailsThatWriteOnly_WriterGoesOn(bool inGroup)
    {
        (DeviceAddress alice, DeviceAddress bob) = await SenderAndRecipientAsync();
        byte[] id = RandomNumberGenerator.GetBytes(16);
        var store = (SqliteRelayStore)Store;
        Task<IReadOnlyList<IReadOnlyList<DeliveryOutcome>>>? beside = null;
        Task<int> failing;
        using (var hold = new WriterHold(store))
        {
            await hold.Started;
            failing = store.Write<int>(() => throw new InsufficientMemoryException(), default).AsTask();
            if (inGroup)
            {
                beside = Store.StoreAsync([Message(alice, id, bob)], 1_750_000_000_000, 100, default).AsTask();
            }

            hold.Release();
        }

        // Escaping the writer thread, it would end the process (the test host with it).
        await Assert.ThrowsAsync<InsufficientMemoryException>(async () => await failing);
        if (beside is { } stored)
        {
            Assert.Equal(DeliveryOutcome.Stored, (await stored)[0][0]);
        }

        Assert.Equal(inGroup ? DeliveryOutcome.Duplicate : DeliveryOutcome.Stored, (await Store.StoreAsync([Message(alice, id, bob)], 1_750_000_000_000, 100, default))[0][0]);
    }

    [Fact]
    public async Task WriterTimes_WritesHeldIntoGroups_CountedExactly_TimesCoverTheWallTime()
    {
        // The held write runs alone; the three queued behind it form the second group.
        var store = (SqliteRelayStore)Store;
        var wall = System.Diagnostics.Stopwatch.StartNew();
        SqliteWriterTimes before;
        Task<int>[] queued;
        using (var hold = new WriterHold(store))
        {
            await hold.Started;
            before = store.WriterTimes;
            queued = [.. Enumerable.Range(0, 3).Select(i => store.Write(() => i, default).AsTask())];
            hold.Release();
            Assert.Equal(WriterHold.Result, await hold.Completion);
        }

        int[] results = await Task.WhenAll(queued);
        Assert.Equal([0, 1, 2], results);
        SqliteWriterTimes delta = store.WriterTimes.Since(before);
        wall.Stop();

        Assert.Equal(2, delta.Groups);
        Assert.Equal(4, delta.Writes);
        Assert.True(delta.Running > TimeSpan.Zero, delta.ToString());
        Assert.True(delta.Committing >= TimeSpan.Zero, delta.ToString());
        Assert.True(delta.AfterCommit >= TimeSpan.Zero, delta.ToString());
        Assert.True(delta.Idle >= TimeSpan.Zero, delta.ToString());
        Assert.True(delta.Total <= wall.Elapsed, $"{delta.Total} of phases in {wall.Elapsed}");

        // On Linux with per-thread scheduler statistics (CI's kernel keeps them) they must be found.
        if (OperatingSystem.IsLinux() && File.Exists("/proc/thread-self/schedstat"))
        {
            Assert.NotNull(delta.OnCpu);
            Assert.NotNull(delta.WaitingForCpu);
            Assert.True(delta.OnCpu >= TimeSpan.Zero && delta.WaitingForCpu >= TimeSpan.Zero, delta.ToString());
        }
    }

    [Fact]
    public async Task Write_CallerCompleted_OnlyAfterGroupCommit()
    {
        (DeviceAddress alice, DeviceAddress bob) = await SenderAndRecipientAsync();
        var store = (SqliteRelayStore)Store;
        using var first = new WriterHold(store);
        await first.Started;
        Task<IReadOnlyList<IReadOnlyList<DeliveryOutcome>>> a = Store.StoreAsync([Message(alice, RandomNumberGenerator.GetBytes(16), bob)], 1_750_000_000_000, 100, default).AsTask();
        using var second = new WriterHold(store);
        first.Release();

        // a has run (it precedes the second hold in the group), but the group has not committed.
        await second.Started;
        Assert.False(a.IsCompleted);
        Assert.Empty((await Store.ReadQueueAsync(bob, 0, 100, 0, default)).Deliveries);
        second.Release();
        Assert.Equal(DeliveryOutcome.Stored, (await a)[0][0]);
        Assert.Single((await Store.ReadQueueAsync(bob, 0, 100, 0, default)).Deliveries);
    }

    [Fact]
    public async Task Write_CancelledWhileQueued_Withdrawn_NeverRuns()
    {
        var store = (SqliteRelayStore)Store;
        bool ran = false;
        using var cancellation = new CancellationTokenSource();
        using (var hold = new WriterHold(store))
        {
            await hold.Started;
            Task<int> queued = store.Write(
                () =>
                {
                    ran = true;
                    return 1;
                },
                cancellation.Token).AsTask();
            await cancellation.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await queued);
            hold.Release();
        }

        // Writes run in queue order: once a later one has completed, the withdrawn one would have run.
        Assert.Equal(2, await store.Write(() => 2, default));
        Assert.False(ran);
    }

    [Fact]
    public async Task Write_CancelledWhileRunning_GetsItsCommittedOutcome()
    {
        (DeviceAddress alice, DeviceAddress bob) = await SenderAndRecipientAsync();
        byte[] id = RandomNumberGenerator.GetBytes(16);
        var store = (SqliteRelayStore)Store;
        using var cancellation = new CancellationTokenSource();
        using (var running = new WriterHold(store, () => InsertDedupKey(store, bob, id), cancellation.Token))
        {
            await running.Started;
            await cancellation.CancelAsync();
            running.Release();
            Assert.Equal(WriterHold.Result, await running.Completion);
        }

        Assert.Equal(DeliveryOutcome.Duplicate, (await Store.StoreAsync([Message(alice, id, bob)], 1_750_000_000_000, 100, default))[0][0]);
    }

    [Fact]
    public async Task Dispose_WithWritesQueued_EachGetsItsOutcomeOrObjectDisposed_WriterStops()
    {
        (DeviceAddress alice, DeviceAddress bob) = await SenderAndRecipientAsync();
        MessageToStore[] messages = [Message(alice, RandomNumberGenerator.GetBytes(16), bob), Message(alice, RandomNumberGenerator.GetBytes(16), bob)];
        var store = (SqliteRelayStore)Store;
        var queued = new List<Task<IReadOnlyList<IReadOnlyList<DeliveryOutcome>>>>();
        Task disposing;
        using (var hold = new WriterHold(store))
        {
            await hold.Started;
            queued.AddRange(messages.Select(message => Store.StoreAsync([message], 1_750_000_000_000, 100, default).AsTask()));
            disposing = store.DisposeAsync().AsTask();
            Assert.False(disposing.IsCompleted);
            await Assert.ThrowsAsync<ObjectDisposedException>(async () => await store.Write(() => 0, default));
            hold.Release();
        }

        await disposing;
        var committed = new List<string>();
        for (int i = 0; i < messages.Length; i++)
        {
            try
            {
                Assert.Equal(DeliveryOutcome.Stored, (await queued[i])[0][0]);
                committed.Add(Hex(messages[i]));
            }
            catch (ObjectDisposedException)
            {
            }
        }

        await using var reopened = new SqliteRelayStore(_directory, "Full");
        await reopened.InitializeAsync(default);
        Assert.Equal(committed, (await reopened.ReadQueueAsync(bob, 0, 100, 0, default)).Deliveries.Select(d => Convert.ToHexString(d.Envelope)));
    }

    [Fact]
    public async Task Initialize_Twice_Refused()
    {
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await Store.InitializeAsync(default));
        DeviceAddress alice = await RegisterAsync(Names.New("alice"), 1, PartyKind.Person);
        Assert.NotNull(await Store.GetDeviceAsync(alice, default));
    }

    [Fact]
    public async Task Initialize_AfterDispose_ObjectDisposed()
    {
        await Store.DisposeAsync();
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await Store.InitializeAsync(default));
    }

    [Fact]
    public async Task Initialize_NewerSchemaVersion_Refused()
    {
        string directory = TempDirectory.Create();
        try
        {
            using (var connection = new SqliteConnection($"Data Source={Path.Combine(directory, SqliteRelayStore.FileName)};Pooling=False"))
            {
                connection.Open();
                using SqliteCommand command = connection.CreateCommand();
                command.CommandText = $"PRAGMA user_version = {SqliteSchema.CurrentVersion + 1};";
                command.ExecuteNonQuery();
            }

            await using var store = new SqliteRelayStore(directory, "Full");
            InvalidOperationException ex = await Assert.ThrowsAsync<InvalidOperationException>(async () => await store.InitializeAsync(default));
            Assert.Contains("schema version", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            TempDirectory.Delete(directory);
        }
    }

    [Fact]
    public async Task Initialize_Version3WithQueuedMessages_MigratesAndDeliversThem()
    {
        // A version 3 database (the frozen migrations up to it) with queued messages: one for bob alone,
        // a post for bob and carol, one already expired, and a dedup key.
        const long Now = 1_750_000_000_000;
        const long Later = Now + 3_600_000;
        string directory = TempDirectory.Create();
        var alice = new DeviceAddress("alice", 1);
        var bob = new DeviceAddress("bob", 1);
        var carol = new DeviceAddress("carol", 1);
        byte[] single = RandomNumberGenerator.GetBytes(120);
        byte[] post = RandomNumberGenerator.GetBytes(120);
        byte[] seenId = RandomNumberGenerator.GetBytes(16);
        try
        {
            using (var connection = new SqliteConnection($"Data Source={Path.Combine(directory, SqliteRelayStore.FileName)};Pooling=False"))
            {
                connection.Open();
                using SqliteCommand command = connection.CreateCommand();
                command.CommandText = string.Concat(SqliteSchema.Migrations.Take(3)) + """
                    PRAGMA user_version = 3;
                    INSERT INTO accounts (name, kind) VALUES ('alice', 1), ('bob', 1), ('carol', 1);
                    INSERT INTO devices (name, device, identity, registered_at, next_seq) VALUES
                        ('alice', 1, x'00', 0, 1), ('bob', 1, x'00', 0, 4), ('carol', 1, x'00', 0, 2);
                    INSERT INTO messages (id, sender_name, sender_device, envelope, expires_at) VALUES
                        (1, 'alice', 1, $single, $later), (2, 'alice', 1, $post, $later), (3, 'alice', 1, x'01', $now - 1);
                    INSERT INTO queue (name, device, seq, message) VALUES ('bob', 1, 1, 1), ('bob', 1, 2, 2), ('carol', 1, 1, 2), ('bob', 1, 3, 3);
                    INSERT INTO delivered_ids (name, device, message_id, expires_at) VALUES ('bob', 1, $seen, $later);
                    """;
                command.With("$single", single).With("$post", post).With("$later", Later).With("$now", Now).With("$seen", seenId).ExecuteNonQuery();
            }

            await using var store = new SqliteRelayStore(directory, "Full");
            await store.InitializeAsync(default);
            Assert.Equal([(1L, Convert.ToHexString(single)), (2L, Convert.ToHexString(post))], Page(await store.ReadQueueAsync(bob, 0, 10, Now, default)));
            Assert.Equal([(1L, Convert.ToHexString(post))], Page(await store.ReadQueueAsync(carol, 0, 10, Now, default)));

            // New traffic continues the sequence, the old dedup key still holds.
            MessageToStore next = Message(alice, RandomNumberGenerator.GetBytes(16), bob);
            var outcomes = await store.StoreAsync([next, Message(alice, seenId, bob)], Now, 100, default);
            Assert.Equal([DeliveryOutcome.Stored, DeliveryOutcome.Duplicate], outcomes.Select(o => o.Single()));
            Assert.Equal([1L, 2L, 4L], (await store.ReadQueueAsync(bob, 0, 10, Now, default)).Deliveries.Select(d => d.Sequence));

            // Acknowledging bob's copy of the post leaves carol's; hers removes the message row.
            Assert.Equal(2, await store.AcknowledgeAsync(bob, [1, 2], 0, default));
            Assert.Equal([(1L, Convert.ToHexString(post))], Page(await store.ReadQueueAsync(carol, 0, 10, Now, default)));
            Assert.Equal(1, await store.AcknowledgeAsync(carol, [1], 0, default));
            Assert.Equal(1, (await store.DeleteExpiredAsync(Now, default)).Messages);
            Assert.Equal(1, await store.PurgeFromSenderAsync(bob.Name, alice.Name, default));
            Assert.Empty((await store.ReadQueueAsync(bob, 0, 10, 0, default)).Deliveries);
            Assert.Equal(0L, await store.Write(() => (long)store.Command("SELECT count(*) FROM messages;").ExecuteScalar()!, default));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            TempDirectory.Delete(directory);
        }
    }

    private static (long Sequence, string Envelope)[] Page(QueuePage page) =>
        [.. page.Deliveries.Select(d => (d.Sequence, Convert.ToHexString(d.Envelope)))];

    private async Task<(DeviceAddress Sender, DeviceAddress Recipient)> SenderAndRecipientAsync() =>
        (await RegisterAsync(Names.New("alice"), 1, PartyKind.Person), await RegisterAsync(Names.New("bob"), 1, PartyKind.Person));

    private static async Task<(long Recent, long Moved)> KeyCountsAsync(SqliteRelayStore store) => await store.Write(
        () => ((long)store.Command("SELECT count(*) FROM recent_ids;").ExecuteScalar()!, (long)store.Command("SELECT count(*) FROM delivered_ids;").ExecuteScalar()!),
        default);

    private static void InsertDedupKey(SqliteRelayStore store, DeviceAddress device, byte[] messageId) =>
        store.Command("INSERT INTO delivered_ids (name, device, message_id, expires_at) VALUES ($n, $d, $m, $e);")
            .WithDevice(device).With("$m", messageId).With("$e", long.MaxValue).ExecuteNonQuery();

    private static string Hex(MessageToStore message) => Convert.ToHexString(message.Envelope);

    /// <summary>A write that holds the writer thread until released, so the writes queued meanwhile form one group.</summary>
    private sealed class WriterHold : IDisposable
    {
        /// <summary>What the holding write returns.</summary>
        internal const int Result = 7;

        private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly ManualResetEventSlim _release = new();

        internal WriterHold(SqliteRelayStore store, Action? first = null, CancellationToken cancellationToken = default) => Completion = store.Write(
            () =>
            {
                first?.Invoke();
                _started.SetResult();
                _release.Wait();
                return Result;
            },
            cancellationToken).AsTask();

        internal Task Started => _started.Task;

        internal Task<int> Completion { get; }

        internal void Release() => _release.Set();

        public void Dispose()
        {
            // Never leave the writer held (a failed assertion would hang the store's dispose).
            _release.Set();
        }
    }
}
