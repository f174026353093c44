using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace E2eChat.Relay.Server.Storage.Sqlite;

/// <summary>
/// The embedded <see cref="IRelayStore"/>: one SQLite file in WAL mode. Every write is atomic on a
/// single writer connection (SQLite allows one writer at a time; serializing in process avoids busy
/// retries), with its statements prepared once; writes that queue up meanwhile share one
/// <c>BEGIN IMMEDIATE</c> transaction and one commit, each in its own savepoint (group commit); its hot
/// statements go through SQLitePCL's raw API (<see cref="SqliteRawStatement"/>), and the WAL is copied
/// back into the database file mostly by a checkpointer thread (<see cref="SqliteCheckpointer"/>); with
/// <c>synchronous=FULL</c> the writer's WAL writes of a commit reach the file in a few large writes
/// (<see cref="SqliteWalWriteBuffer"/>). Reads
/// use the store's own pool of connections, each with its statements prepared once, and run beside the
/// writer (WAL readers see the last commit).
/// </summary>
internal sealed partial class SqliteRelayStore : IRelayStore
{
    /// <summary>The database file's name inside the data directory.</summary>
    internal const string FileName = "relay.db";

    /// <summary>
    /// The writer connection's page cache, in KiB (SQLite's default is 2,000). Every stored message
    /// looks its dedup key up in <c>delivered_ids</c>, at a random place in its device's range, and
    /// every move of the recent keys writes pages spread over that whole table; with the default cache
    /// most of them were gone again and read back from the file (measured with the store alone, 64
    /// devices, 13,000 to 77,000 keys, when each key was still inserted there directly: the dedup
    /// insert took 22-26 µs of CPU per message with 2 MiB, 16-19 µs with 64 MiB). SQLite allocates the
    /// pages as it uses them, so a small relay never holds this much.
    /// </summary>
    private const int WriterCacheKibibytes = 64 * 1024;

    private readonly string _connectionString;
    private readonly string _writerConnectionString;
    private readonly string _synchronous;
    // No spinning before it blocks: a spinning writer burns a core's time slices the request threads
    // need on a small node, and a wake-up costs microseconds against a group commit's milliseconds.
    private readonly ManualResetEventSlim _writerWake = new(false, spinCount: 0);
    private readonly TaskCompletionSource _writerStopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentQueue<PendingWrite> _pendingWrites = new();
    private readonly ConcurrentBag<SqliteReadConnection> _idleReaders = [];
    private readonly Dictionary<string, SqliteCommand> _writerCommands = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SqliteRawStatement> _writerStatements = new(StringComparer.Ordinal);
    private readonly SqliteWriterClock _writerClock = new();
    private SqliteConnection? _writer;
    private SqliteCheckpointer? _checkpointer;
    private SqliteTransaction? _transaction;
    private Thread? _writerThread;
    private int _writerSignalled;
    private bool _stopWriter;
    private bool _abort;
    private bool _disposed;

    /// <summary>Creates a store over <c>relay.db</c> in <paramref name="dataDirectory"/> (created on initialization).</summary>
    /// <param name="dataDirectory">The directory.</param>
    /// <param name="synchronous">SQLite's <c>synchronous</c> mode: <c>Full</c> or <c>Normal</c>.</param>
    internal SqliteRelayStore(string dataDirectory, string synchronous)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataDirectory);
        if (!string.Equals(synchronous, "Full", StringComparison.OrdinalIgnoreCase) && !string.Equals(synchronous, "Normal", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentOutOfRangeException(nameof(synchronous), synchronous, "Use Full or Normal.");
        }

        DataDirectory = Path.GetFullPath(dataDirectory);
        _synchronous = synchronous.ToUpperInvariant();
        _connectionString = new SqliteConnectionStringBuilder
        {
            // A full path, never a "file:" URI (which could carry psow=0; see SqliteWalWriteBuffer).
            DataSource = Path.Combine(DataDirectory, FileName),
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();

        // With synchronous=FULL the writer's WAL writes go through the write buffer (one write per commit
        // instead of two per frame); it is safe only when every commit syncs the WAL before publishing it
        // (see SqliteWalWriteBuffer), so NORMAL keeps the default VFS. Readers and the checkpointer always do.
        _writerConnectionString = _synchronous == "FULL" && SqliteWalWriteBuffer.EnsureRegistered()
            ? new SqliteConnectionStringBuilder(_connectionString) { Vfs = SqliteWalWriteBuffer.VfsName }.ToString()
            : _connectionString;
    }

    /// <summary>The store's checkpointer (tests wait for it; see <see cref="SqliteCheckpointer.WaitForRequested"/>).</summary>
    internal SqliteCheckpointer Checkpointer => _checkpointer ?? throw new InvalidOperationException("The store is not initialized.");

    /// <summary>The WAL write buffer's counts for the writer's WAL file, or null when the writer does not use it (tests).</summary>
    internal SqliteWalWriteCounts? WriterWalCounts =>
        SqliteWalWriteBuffer.TryGetCounts(_writer?.Handle, out SqliteWalWriteCounts counts) ? counts : null;

    /// <summary>
    /// Where the writer thread's time went since the store was created, as of now (the load tool prints
    /// a round's share: the difference of two snapshots, <see cref="SqliteWriterTimes.Since"/>).
    /// </summary>
    internal SqliteWriterTimes WriterTimes => _writerClock.Read();

    /// <summary>The directory holding the database files.</summary>
    internal string DataDirectory { get; }

    /// <inheritdoc />
    public ValueTask InitializeAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_writer is not null)
        {
            // A second writer thread would share this one's connection, statements and transaction.
            throw new InvalidOperationException("The store is initialized already.");
        }

        Directory.CreateDirectory(DataDirectory);
        var writer = new SqliteConnection(_writerConnectionString);
        writer.Open();
        Execute(writer, "PRAGMA journal_mode=WAL;");
        Execute(writer, $"PRAGMA synchronous={_synchronous};");
        Execute(writer, "PRAGMA busy_timeout=30000;");

        // Each write of a group runs in a savepoint, whose sub-journal (the pages' prior contents, for a
        // rollback to it) otherwise spills to a temporary file past 64 KiB and then costs a file write
        // per page. In memory it is emptied at every release, so it holds one write's pages at most. Not
        // a durability matter: a sub-journal only serves rollbacks inside the open transaction.
        Execute(writer, "PRAGMA temp_store=MEMORY;");
        Execute(writer, $"PRAGMA cache_size=-{WriterCacheKibibytes};");
        int version = Convert.ToInt32(Scalar(writer, "PRAGMA user_version;"), CultureInfo.InvariantCulture);
        if (version > SqliteSchema.CurrentVersion)
        {
            writer.Dispose();
            throw new InvalidOperationException($"The relay database has schema version {version}; this relay knows versions up to {SqliteSchema.CurrentVersion}.");
        }

        for (int v = version; v < SqliteSchema.CurrentVersion; v++)
        {
            using SqliteTransaction migration = writer.BeginTransaction();
            using (SqliteCommand command = writer.CreateCommand())
            {
                command.Transaction = migration;
                command.CommandText = SqliteSchema.Migrations[v] + $"\nPRAGMA user_version = {v + 1};";
                command.ExecuteNonQuery();
            }

            migration.Commit();
        }

        LoadRecentKeys(writer);

        // Checkpoints run on a thread of their own (SqliteCheckpointer), not inside the writer's commits.
        Execute(writer, "PRAGMA wal_autocheckpoint=0;");
        try
        {
            _checkpointer = new SqliteCheckpointer(_connectionString, _synchronous);
        }
        catch
        {
            writer.Dispose();
            throw;
        }

        _writer = writer;
        _writerThread = new Thread(() =>
        {
            try
            {
                RunWriter();
            }
            finally
            {
                _writerStopped.TrySetResult();
            }
        })
        {
            IsBackground = true,
            Name = "SQLite relay writer",
        };
        _writerThread.Start();
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public async ValueTask PingAsync(CancellationToken cancellationToken) =>
        await Read(connection => connection.Command("SELECT 1;").ExecuteScalar(), cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_writerThread is not null)
        {
            // The writer runs every write it finds queued before it sees the stop (their callers get
            // their outcomes), fails with ObjectDisposedException what it finds after, and stops.
            Volatile.Write(ref _stopWriter, true);
            _writerWake.Set();
            await _writerStopped.Task.ConfigureAwait(false);
        }

        _checkpointer?.Dispose();

        foreach (SqliteCommand command in _writerCommands.Values)
        {
            command.Dispose();
        }

        _writerCommands.Clear();
        foreach (SqliteRawStatement statement in _writerStatements.Values)
        {
            statement.Dispose();
        }

        _writerStatements.Clear();
        while (_idleReaders.TryTake(out SqliteReadConnection? reader))
        {
            reader.Dispose();
        }

        if (_writer is not null)
        {
            Execute(_writer, "PRAGMA wal_checkpoint(TRUNCATE);");
            await _writer.DisposeAsync().ConfigureAwait(false);
        }

        SqliteConnection.ClearAllPools();
        _writerWake.Dispose();
    }

    /// <summary>Runs <paramref name="sql"/> on <paramref name="connection"/> outside the writer's statements (setup, pragmas; internal for the tests).</summary>
    internal static void Execute(SqliteConnection connection, string sql)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>The first column of the first row of <paramref name="sql"/> on <paramref name="connection"/> (internal for the tests).</summary>
    internal static object? Scalar(SqliteConnection connection, string sql)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    /// <summary>
    /// Runs <paramref name="body"/> as one atomic write: it commits unless it called <see cref="Abort"/> or
    /// threw, and the returned task completes only after its commit is durable. Writes are queued for the
    /// store's writer thread, which takes every write queued when it wakes (group commit: up to
    /// <see cref="RelayServerLimits.MaxGroupCommitWrites"/>), runs each inside its own savepoint in one
    /// <c>BEGIN IMMEDIATE</c> transaction, in queue order, and commits them together, so the effect is
    /// that of running them one after another, with one commit (one WAL sync) for the group. A write
    /// that aborts or throws rolls back to its savepoint and fails alone. A caller that cancels before
    /// the writer took its write withdraws it; once taken, its outcome stands. (Internal for the tests,
    /// which queue bodies that hold the writer to form groups deterministically.)
    /// </summary>
    internal async ValueTask<T> Write<T>(Func<T> body, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_writerThread is null)
        {
            throw new InvalidOperationException("The store is not initialized.");
        }

        var write = new PendingWrite<T>(body);
        _pendingWrites.Enqueue(write);
        WakeWriter();
        if (Volatile.Read(ref _stopWriter))
        {
            // Queued after the writer's last look at the queue, it would never run.
            ObjectDisposedException.ThrowIf(write.TryCancel(), this);
        }

        try
        {
            return await write.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!write.TryCancel())
        {
            // The writer has taken it (it may have committed already): its outcome stands.
            return await write.Task.ConfigureAwait(false);
        }
    }

    /// <summary>Wakes the writer thread unless a wake-up is pending already (one per batch of arrivals).</summary>
    private void WakeWriter()
    {
        if (Interlocked.Exchange(ref _writerSignalled, 1) == 0)
        {
            _writerWake.Set();
        }
    }

    /// <summary>
    /// The writer thread: sleeps until woken, then runs group after group until the queue is empty; at
    /// shutdown it fails whatever is still queued.
    /// </summary>
    private void RunWriter()
    {
        _writerClock.AttachToCurrentThread();
        while (true)
        {
            _writerClock.EnterIdle();
            _writerWake.Wait();

            // Reset before draining: a write queued after this point wakes the writer again.
            _writerWake.Reset();
            Interlocked.Exchange(ref _writerSignalled, 0);
            if (Volatile.Read(ref _stopWriter))
            {
                break;
            }

            while (!_pendingWrites.IsEmpty)
            {
                RunPendingWrites();
            }
        }

        var stopped = new ObjectDisposedException(nameof(SqliteRelayStore));
        while (_pendingWrites.TryDequeue(out PendingWrite? left))
        {
            if (left.TryStart())
            {
                left.Fail(stopped);
            }
        }
    }

    /// <summary>On the writer thread: runs up to <see cref="RelayServerLimits.MaxGroupCommitWrites"/> queued writes in one transaction.</summary>
    private void RunPendingWrites()
    {
        SqliteConnection writer = _writer ?? throw new InvalidOperationException("The store is not initialized.");
        _writerClock.EnterRunning();
        var group = new List<PendingWrite>(Math.Min(_pendingWrites.Count, RelayServerLimits.MaxGroupCommitWrites));
        while (group.Count < RelayServerLimits.MaxGroupCommitWrites && _pendingWrites.TryDequeue(out PendingWrite? next))
        {
            if (next.TryStart())
            {
                group.Add(next);
            }
        }

        if (group.Count == 0)
        {
            return;
        }

        bool savepoints = group.Count > 1;
        try
        {
            using SqliteTransaction transaction = writer.BeginTransaction(deferred: false);
            _transaction = transaction;
            try
            {
                foreach (PendingWrite write in group)
                {
                    _abort = false;
                    int recentKeysMark = RecentKeysMark;
                    if (savepoints)
                    {
                        Raw("SAVEPOINT w;").Execute();
                    }

                    try
                    {
                        write.Run();
                    }
                    catch (Exception ex) when (savepoints)
                    {
                        write.Fail(ex);
                        _abort = true;
                    }

                    if (savepoints)
                    {
                        Raw(_abort ? "ROLLBACK TO w;" : "RELEASE w;").Execute();
                        if (_abort)
                        {
                            UndoRecentKeys(recentKeysMark);
                            Raw("RELEASE w;").Execute();
                        }
                    }
                }

                _writerClock.EnterCommitting();
                if (!savepoints && _abort)
                {
                    transaction.Rollback();
                    AfterRollback(writer);
                }
                else
                {
                    transaction.Commit();
                    KeepRecentKeys();
                }
            }
            finally
            {
                _transaction = null;
            }
        }
        catch (Exception ex)
        {
            // Nothing of the group committed: every write not failed already fails with this. Every
            // exception stops here (an out-of-memory too): one escaping the writer thread would end the
            // process, where on a caller's thread it failed that caller's request alone.
            AfterRollback(writer);
            _writerClock.EndTransaction(group.Count);
            foreach (PendingWrite write in group)
            {
                write.Fail(ex);
            }

            _checkpointer!.AfterGroup(writer.Handle!);
            return;
        }

        _writerClock.EndTransaction(group.Count);
        foreach (PendingWrite write in group)
        {
            write.Complete();
        }

        // After the callers have their outcomes: the group's share of checkpointing, and moving the
        // recent dedup keys when enough have collected.
        _checkpointer!.AfterGroup(writer.Handle!);
        MoveDedupKeysIfDue();
    }

    /// <summary>
    /// After the writer's transaction rolled back: what the WAL write buffer still holds of it goes to the
    /// file now (<see cref="SqliteWalWriteBuffer.FlushAfterRollback"/>), and the recent dedup keys are as
    /// at the last commit.
    /// </summary>
    private void AfterRollback(SqliteConnection writer)
    {
        SqliteWalWriteBuffer.FlushAfterRollback(writer.Handle);
        UndoRecentKeys(0);
    }

    /// <summary>Makes the running <see cref="Write{T}"/> roll back instead of committing.</summary>
    private void Abort() => _abort = true;

    /// <summary>A prepared statement on the writer connection, in the running transaction, with no parameters bound.</summary>
    internal SqliteCommand Command(string sql)
    {
        if (!_writerCommands.TryGetValue(sql, out SqliteCommand? command))
        {
            command = _writer!.CreateCommand();
            command.CommandText = sql;
            _writerCommands.Add(sql, command);
        }

        command.Transaction = _transaction;
        command.Parameters.Clear();
        return command;
    }

    /// <summary>
    /// One of the writer's hot statements, prepared once on the writer connection's SQLite handle and run
    /// through the raw API (see <see cref="SqliteRawStatement"/>); it runs in the running transaction, as
    /// everything on that connection does.
    /// </summary>
    private SqliteRawStatement Raw(string sql)
    {
        if (!_writerStatements.TryGetValue(sql, out SqliteRawStatement? statement))
        {
            statement = new SqliteRawStatement(_writer!.Handle!, sql);
            _writerStatements.Add(sql, statement);
        }

        return statement;
    }

    /// <summary>
    /// Runs <paramref name="body"/> on an idle read connection of the store's own pool (statements
    /// prepared once per connection), opening one when none is idle; kept for the next read unless
    /// <see cref="RelayServerLimits.MaxIdleSqliteReadConnections"/> are idle already or the body threw.
    /// </summary>
    private ValueTask<T> Read<T>(Func<SqliteReadConnection, T> body, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ObjectDisposedException.ThrowIf(_disposed, this);
        SqliteReadConnection connection = _idleReaders.TryTake(out SqliteReadConnection? idle) ? idle : new SqliteReadConnection(_connectionString);
        T result;
        try
        {
            result = body(connection);
        }
        catch
        {
            connection.Dispose();
            throw;
        }

        if (_disposed || _idleReaders.Count >= RelayServerLimits.MaxIdleSqliteReadConnections)
        {
            connection.Dispose();
        }
        else
        {
            _idleReaders.Add(connection);
        }

        return ValueTask.FromResult(result);
    }

    private static byte[] Bytes(SqliteDataReader reader, int ordinal) => (byte[])reader.GetValue(ordinal);
}
