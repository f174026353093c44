using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace E2eChat.Relay.Server.Storage.Sqlite;

/// <summary>
/// Copies the relay database's WAL back into the database file on a thread and connection of its own,
/// so the single writer thread, which everything stored waits for, copies only the last few frames
/// (the writer runs with <c>wal_autocheckpoint=0</c> and calls <see cref="AfterGroup"/> after each
/// group). A passive checkpoint takes no lock the writer or the readers need and copies what no reader
/// still needs; the writer then copies the frames it appended meanwhile, so its next transaction starts
/// the WAL from its beginning again, as with SQLite's own automatic checkpoints. Durability does not
/// depend on it: a commit is durable once its WAL frames are synced (<c>synchronous</c>), and a WAL not
/// yet copied back is replayed on the next open.
/// </summary>
internal sealed class SqliteCheckpointer : IDisposable
{
    /// <summary>
    /// WAL pages the writer writes between two checkpoint requests: SQLite's own automatic checkpoint
    /// threshold (<c>wal_autocheckpoint</c>, 1,000 pages, 4 MiB), so the WAL stays about as small as before.
    /// </summary>
    internal const int PagesPerCheckpoint = 1000;

    /// <summary>
    /// The WAL length, in frames (4 KiB each: 64 MiB), past which a passive checkpoint is followed by a
    /// blocking one (<c>RESTART</c>: waits for the writer's transaction and for readers of older
    /// snapshots, so the next transaction starts the WAL from its beginning). Passive checkpoints keep
    /// the WAL at a few thousand frames; it grows past this only while readers keep old snapshots open
    /// across many commits, and then waiting for them is what bounds the file.
    /// </summary>
    internal const int MaxWalFrames = 16 * 1024;

    /// <summary>
    /// How long the blocking checkpoint waits for readers of older snapshots, in milliseconds: it holds
    /// the WAL's write lock while it waits, so the writer (which every stored message waits for) would
    /// wait as long. A quarter second bounds that stall; a checkpoint that gives up leaves the WAL as it
    /// was and the next pass tries again.
    /// </summary>
    private const int RestartBusyTimeoutMilliseconds = 250;

    /// <summary>The connection's busy timeout otherwise (milliseconds), as the store's other connections.</summary>
    private const int BusyTimeoutMilliseconds = 30_000;

    private readonly SqliteConnection _connection;
    private readonly ManualResetEventSlim _wake = new(false, spinCount: 0);
    private readonly Thread _thread;
    private int _pages;
    private int _tailDue;
    private int _requested;
    private int _completed;
    private bool _stop;

    /// <summary>Opens the checkpointer's connection and starts its thread.</summary>
    /// <param name="connectionString">The store's connection string.</param>
    /// <param name="synchronous">The store's <c>synchronous</c> mode (the database file is synced after copying as with it).</param>
    internal SqliteCheckpointer(string connectionString, string synchronous)
    {
        _connection = new SqliteConnection(connectionString);
        try
        {
            _connection.Open();
            Execute($"PRAGMA synchronous={synchronous};");
            Execute($"PRAGMA busy_timeout={BusyTimeoutMilliseconds};");
        }
        catch
        {
            _connection.Dispose();
            throw;
        }

        _thread = new Thread(Run)
        {
            IsBackground = true,
            Name = "SQLite relay checkpointer",
        };
        _thread.Start();
    }

    /// <summary>
    /// On the writer thread, after each group (outside any transaction): counts the WAL pages the writer
    /// wrote and wakes the checkpointer every <see cref="PagesPerCheckpoint"/>; after a checkpoint of the
    /// checkpointer's, copies the few frames the writer appended meanwhile itself. SQLite starts the WAL
    /// from its beginning again only when a transaction begins with every frame copied, which a
    /// checkpoint beside a busy writer never sees (the writer appends while it copies): without this
    /// step the WAL only grew. The writer's share is that tail and one sync of the database file.
    /// </summary>
    /// <param name="writer">The writer connection's handle.</param>
    internal void AfterGroup(sqlite3 writer)
    {
        if (raw.sqlite3_db_status(writer, raw.SQLITE_DBSTATUS_CACHE_WRITE, out int pages, out _, 1) == raw.SQLITE_OK)
        {
            _pages += pages;
        }

        if (Interlocked.Exchange(ref _tailDue, 0) == 1)
        {
            // A failure leaves the WAL as it was (every commit in it durable); the next round retries.
            raw.sqlite3_wal_checkpoint_v2(writer, "main", raw.SQLITE_CHECKPOINT_PASSIVE, out _, out _);
        }

        if (_pages >= PagesPerCheckpoint)
        {
            _pages = 0;
            Interlocked.Increment(ref _requested);
            _wake.Set();
        }
    }

    /// <summary>
    /// Waits until every checkpoint requested so far has run (for tests, which make the checkpointer's
    /// progress deterministic with it; the relay never waits for it).
    /// </summary>
    /// <param name="timeout">How long to wait at most.</param>
    /// <returns>Whether they all ran within <paramref name="timeout"/>.</returns>
    internal bool WaitForRequested(TimeSpan timeout)
    {
        long deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        while (Volatile.Read(ref _completed) < Volatile.Read(ref _requested))
        {
            if (Environment.TickCount64 > deadline)
            {
                return false;
            }

            Thread.Sleep(1);
        }

        return true;
    }

    /// <summary>Stops the thread (after the checkpoint it is running, if any) and closes the connection.</summary>
    public void Dispose()
    {
        Volatile.Write(ref _stop, true);
        _wake.Set();
        _thread.Join();
        _connection.Dispose();
        _wake.Dispose();
    }

    private void Run()
    {
        while (true)
        {
            _wake.Wait();
            _wake.Reset();
            if (Volatile.Read(ref _stop))
            {
                return;
            }

            // Every request made before this point is served by this pass.
            int serving = Volatile.Read(ref _requested);
            try
            {
                sqlite3 database = _connection.Handle!;
                int rc = raw.sqlite3_wal_checkpoint_v2(database, "main", raw.SQLITE_CHECKPOINT_PASSIVE, out int frames, out _);
                if (rc == raw.SQLITE_OK && frames > MaxWalFrames)
                {
                    raw.sqlite3_busy_timeout(database, RestartBusyTimeoutMilliseconds);
                    try
                    {
                        raw.sqlite3_wal_checkpoint_v2(database, "main", raw.SQLITE_CHECKPOINT_RESTART, out _, out _);
                    }
                    finally
                    {
                        raw.sqlite3_busy_timeout(database, BusyTimeoutMilliseconds);
                    }
                }

                Volatile.Write(ref _tailDue, 1);
            }
            catch (Exception)
            {
                // A checkpoint that fails (the file busy past the timeout, an I/O error) leaves the WAL as it
                // was: every commit in it stays durable and the next request tries again. Nothing may escape
                // this thread, which would end the process.
            }

            Volatile.Write(ref _completed, serving);
        }
    }

    private void Execute(string sql)
    {
        using SqliteCommand command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
