using System.Globalization;
using Microsoft.Data.Sqlite;

namespace E2eChat.Relay.Server.Storage.Sqlite;

/// <summary>
/// The embedded <see cref="IRelayStore"/>: one SQLite file in WAL mode. Every write runs in one
/// <c>BEGIN IMMEDIATE</c> transaction on a single writer connection (SQLite allows one writer at a
/// time; serializing in process avoids busy retries), with its statements prepared once. Reads use
/// pooled connections and run beside the writer (WAL readers see the last commit).
/// </summary>
internal sealed partial class SqliteRelayStore : IRelayStore
{
    /// <summary>The database file's name inside the data directory.</summary>
    internal const string FileName = "relay.db";

    private readonly string _connectionString;
    private readonly string _synchronous;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly Dictionary<string, SqliteCommand> _writerCommands = new(StringComparer.Ordinal);
    private SqliteConnection? _writer;
    private SqliteTransaction? _transaction;
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
            DataSource = Path.Combine(DataDirectory, FileName),
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    /// <summary>The directory holding the database files.</summary>
    internal string DataDirectory { get; }

    /// <inheritdoc />
    public ValueTask InitializeAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(DataDirectory);
        var writer = new SqliteConnection(_connectionString);
        writer.Open();
        Execute(writer, "PRAGMA journal_mode=WAL;");
        Execute(writer, $"PRAGMA synchronous={_synchronous};");
        Execute(writer, "PRAGMA busy_timeout=30000;");
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

        _writer = writer;
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public async ValueTask PingAsync(CancellationToken cancellationToken) =>
        await Read(connection => Scalar(connection, "SELECT 1;"), cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _writeLock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            foreach (SqliteCommand command in _writerCommands.Values)
            {
                command.Dispose();
            }

            _writerCommands.Clear();
            if (_writer is not null)
            {
                Execute(_writer, "PRAGMA wal_checkpoint(TRUNCATE);");
                await _writer.DisposeAsync().ConfigureAwait(false);
            }

            SqliteConnection.ClearAllPools();
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    /// <summary>Runs <paramref name="body"/> in one write transaction; commits unless it called <see cref="Abort"/> or threw.</summary>
    private async ValueTask<T> Write<T>(Func<T> body, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            SqliteConnection writer = _writer ?? throw new InvalidOperationException("The store is not initialized.");
            using SqliteTransaction transaction = writer.BeginTransaction(deferred: false);
            _transaction = transaction;
            _abort = false;
            try
            {
                T result = body();
                if (_abort)
                {
                    transaction.Rollback();
                }
                else
                {
                    transaction.Commit();
                }

                return result;
            }
            finally
            {
                _transaction = null;
            }
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Makes the running <see cref="Write{T}"/> roll back instead of committing.</summary>
    private void Abort() => _abort = true;

    /// <summary>A prepared statement on the writer connection, in the running transaction, with no parameters bound.</summary>
    private SqliteCommand Command(string sql)
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

    /// <summary>Runs <paramref name="body"/> on a pooled read connection.</summary>
    private ValueTask<T> Read<T>(Func<SqliteConnection, T> body, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return ValueTask.FromResult(body(connection));
    }

    private static SqliteCommand ReadCommand(SqliteConnection connection, string sql)
    {
        SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }

    private static byte[] Bytes(SqliteDataReader reader, int ordinal) => (byte[])reader.GetValue(ordinal);
}
