
namespace E2eChat.Storage.Sqlite.Tests;

/// <summary>The inbox and <see cref="SqliteProtocolStore.RunInTransactionAsync"/>: a session change and an inbox entry commit together or not at all.</summary>
public sealed class SqliteInboxTests : IDisposable
{
    private static readonly ProtocolAddress s_bob = new("bob", 1);
    private readonly TempStore _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task AddInboxEntryAsync_Reopened_LoadsInOrderUntilRemoved()
    {
        using (SqliteProtocolStore store = _temp.Open())
        {
            Assert.Equal(1, await store.AddInboxEntryAsync("first"u8.ToArray()));
            Assert.Equal(2, await store.AddInboxEntryAsync("second"u8.ToArray()));
        }

        using (SqliteProtocolStore store = _temp.Open())
        {
            IReadOnlyList<KeyValuePair<long, byte[]>> entries = await store.LoadInboxAsync();
            Assert.Equal([1L, 2L], entries.Select(e => e.Key));
            Assert.Equal("first"u8.ToArray(), entries[0].Value);
            Assert.True(await store.RemoveInboxEntryAsync(1));
            Assert.False(await store.RemoveInboxEntryAsync(1));
            Assert.Equal([2L], (await store.LoadInboxAsync()).Select(e => e.Key));
        }
    }

    [Fact]
    public async Task RunInTransactionAsync_WorkThrows_NeitherSessionNorEntryStored()
    {
        using SqliteProtocolStore store = _temp.Open();
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await store.RunInTransactionAsync<long>(async ct =>
        {
            Assert.Equal(1, await store.TryStoreSessionAsync(s_bob, "session"u8.ToArray(), 0, ct));
            await store.AddInboxEntryAsync("message"u8.ToArray(), ct);
            throw new InvalidOperationException("killed before the commit");
        }));

        Assert.Equal(0, (await store.LoadSessionAsync(s_bob)).Version);
        Assert.Empty(await store.LoadInboxAsync());
    }

    [Fact]
    public async Task RunInTransactionAsync_KilledAtCommit_NothingOnDiskAfterReopen()
    {
        using (SqliteProtocolStore store = _temp.Open())
        {
            store.WriteHook = statement => _ = statement == "COMMIT" ? throw new SimulatedKillException() : 0;
            await Assert.ThrowsAsync<SimulatedKillException>(async () => await store.RunInTransactionAsync(async ct =>
            {
                await store.TryStoreSessionAsync(s_bob, "session"u8.ToArray(), 0, ct);
                return await store.AddInboxEntryAsync("message"u8.ToArray(), ct);
            }));
        }

        using SqliteProtocolStore reopened = _temp.Open();
        Assert.Equal(0, (await reopened.LoadSessionAsync(s_bob)).Version);
        Assert.Empty(await reopened.LoadInboxAsync());
    }

    [Fact]
    public async Task RunInTransactionAsync_OtherFlow_WaitsForTheCommit()
    {
        using SqliteProtocolStore store = _temp.Open();
        var started = new TaskCompletionSource();
        var proceed = new TaskCompletionSource();
        Task<long> transaction = Task.Run(async () => await store.RunInTransactionAsync(async ct =>
        {
            await store.TryStoreSessionAsync(s_bob, "session"u8.ToArray(), 0, ct);
            started.SetResult();
            await proceed.Task;
            return await store.AddInboxEntryAsync("message"u8.ToArray(), ct);
        }));

        await started.Task;
        Task<long> other = store.TryStoreSessionAsync(s_bob, "other"u8.ToArray(), 1).AsTask();
        Assert.False(other.IsCompleted);
        proceed.SetResult();

        Assert.Equal(1, await transaction);
        Assert.Equal(2, await other);
        Assert.Single(await store.LoadInboxAsync());
    }

    [Fact]
    public async Task LoadInboxAsync_EntryChangedOnDisk_Unauthentic()
    {
        using (SqliteProtocolStore store = _temp.Open())
        {
            await store.AddInboxEntryAsync("message"u8.ToArray());
        }

        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_temp.Path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE inbox SET id = 2";
            command.ExecuteNonQuery();
        }

        using SqliteProtocolStore reopened = _temp.Open();
        E2eChatException e = await Assert.ThrowsAsync<E2eChatException>(async () => await reopened.LoadInboxAsync());
        Assert.True(e.Failure == E2eChatFailure.Unauthentic);
    }
}
