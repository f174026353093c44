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
}
