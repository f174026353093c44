using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;

namespace E2eChat.Relay.Server.Storage.Postgres;

/// <summary>
/// The scale-out <see cref="IRelayStore"/>: PostgreSQL, shared by every relay node. Each operation is
/// one transaction (READ COMMITTED) whose guarantees come from the database, never from a lock in one
/// process: dedup and billing keys are primary keys written with <c>ON CONFLICT DO NOTHING</c>, a
/// device's sequence numbers come from an update of its row (whose lock orders the commits), a batch
/// locks its recipients' rows in one sorted statement first (so two batches cannot deadlock), and a
/// one-time key is claimed by a single <c>DELETE ... FOR UPDATE SKIP LOCKED ... RETURNING</c>.
/// A transient failure (connection lost, database restarting, serialization failure or deadlock) rolls
/// the attempt back and runs the whole operation again, a bounded number of times; every operation is
/// safe to repeat after a commit whose answer was lost (a store comes back as a duplicate).
/// </summary>
internal sealed partial class PostgresRelayStore : IRelayStore
{
    private readonly NpgsqlDataSource _dataSource;
    private bool _disposed;

    /// <summary>Creates a store over <paramref name="connectionString"/>, its tables in <paramref name="schema"/> (created on initialization).</summary>
    /// <param name="connectionString">An Npgsql connection string.</param>
    /// <param name="schema">The schema holding the relay's tables: a lowercase SQL identifier.</param>
    internal PostgresRelayStore(string connectionString, string schema)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        if (!IsValidSchemaName(schema))
        {
            throw new ArgumentOutOfRangeException(nameof(schema), schema, "Use 1 to 63 characters of [a-z0-9_], starting with a letter or underscore.");
        }

        Schema = schema;
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        builder.ConnectionStringBuilder.SearchPath = schema;
        builder.ConnectionStringBuilder.Enlist = false;
        if (builder.ConnectionStringBuilder.MaxAutoPrepare == 0)
        {
            // The relay runs a few dozen statements over and over: let Npgsql prepare them per connection.
            builder.ConnectionStringBuilder.MaxAutoPrepare = RelayServerLimits.PostgresAutoPrepareStatements;
        }

        // Names the relay's connections in pg_stat_activity (an operator, or a fault test, can find them).
        builder.ConnectionStringBuilder.ApplicationName ??= ("e2echat-relay/" + schema)[..Math.Min(63, 14 + schema.Length)];
        ConnectionString = builder.ConnectionStringBuilder.ConnectionString;
        _dataSource = builder.Build();
    }

    /// <summary>The schema holding the relay's tables.</summary>
    internal string Schema { get; }

    /// <summary>The connection string the store uses (search path set to <see cref="Schema"/>), for its notification listener.</summary>
    internal string ConnectionString { get; }

    /// <summary>The LISTEN/NOTIFY channel of this relay's queues: the schema's name (one relay per schema).</summary>
    internal string NotificationChannel => Schema;

    /// <summary>A new, unpooled connection for the notification listener (the caller opens and disposes it).</summary>
    /// <returns>The connection.</returns>
    internal NpgsqlConnection CreateListenerConnection()
    {
        var builder = new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false, MaxAutoPrepare = 0 };
        builder.ApplicationName = (builder.ApplicationName + "/listen")[..Math.Min(63, builder.ApplicationName!.Length + 7)];
        return new NpgsqlConnection(builder.ConnectionString);
    }

    /// <summary>Sends one notification per payload on <see cref="NotificationChannel"/> (one statement).</summary>
    /// <param name="payloads">The payloads.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    internal async ValueTask NotifyAsync(string[] payloads, CancellationToken cancellationToken) =>
        await Read(
            (work, ct) => PostgresWork.ExecuteAsync(work.Command("SELECT pg_notify(@c, p) FROM unnest(@p) AS p;").With("c", NotificationChannel).With("p", payloads), ct),
            cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Sends one notification on <see cref="NotificationChannel"/> whose payload is
    /// <paramref name="head"/>, the database's number for the sending transaction, and
    /// <paramref name="tail"/>, and returns that number. The number is <c>txid_current()</c>: the
    /// 64-bit, never-wrapping transaction id, handed out in increasing order by the whole database
    /// server (PostgreSQL 12 has it; <c>pg_current_xact_id()</c> is its name from 13 on), so a
    /// notification whose transaction started after another's was sent gets a higher number, whichever
    /// node sends it, with no table or sequence to create. NOTIFY takes a transaction id anyway.
    /// </summary>
    /// <param name="head">The payload before the number.</param>
    /// <param name="tail">The payload after the number.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The number in the payload.</returns>
    internal async ValueTask<long> NotifyNumberedAsync(string head, string tail, CancellationToken cancellationToken) =>
        Convert.ToInt64(
            await Read(
                (work, ct) => PostgresWork.ScalarAsync(work.Command("SELECT x.o, pg_notify(@c, @h || x.o::text || @t) FROM (SELECT txid_current() AS o) AS x;").With("c", NotificationChannel).With("h", head).With("t", tail), ct),
                cancellationToken).ConfigureAwait(false),
            CultureInfo.InvariantCulture);

    /// <summary>Whether <paramref name="schema"/> may name the relay's schema.</summary>
    /// <param name="schema">The candidate.</param>
    /// <returns><see langword="true"/> for 1 to 63 characters of <c>[a-z0-9_]</c> not starting with a digit.</returns>
    internal static bool IsValidSchemaName(string? schema) => schema is not null && SchemaName().IsMatch(schema);

    /// <inheritdoc />
    public async ValueTask InitializeAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await Write(
            async (work, ct) =>
            {
                // One advisory lock for every relay schema of the database: nodes starting together
                // create and migrate once, in turn.
                await PostgresWork.ExecuteAsync(work.Command("SELECT pg_advisory_xact_lock(@k);").With("k", RelayServerLimits.PostgresMigrationLockKey), ct).ConfigureAwait(false);
                await PostgresWork.ExecuteAsync(work.Command($"CREATE SCHEMA IF NOT EXISTS \"{Schema}\";"), ct).ConfigureAwait(false);
                await PostgresWork.ExecuteAsync(work.Command("CREATE TABLE IF NOT EXISTS schema_version (version integer NOT NULL);"), ct).ConfigureAwait(false);
                object? stored = await PostgresWork.ScalarAsync(work.Command("SELECT max(version) FROM schema_version;"), ct).ConfigureAwait(false);
                int version = stored is null ? 0 : Convert.ToInt32(stored, CultureInfo.InvariantCulture);
                if (version > PostgresSchema.CurrentVersion)
                {
                    throw new InvalidOperationException($"The relay database schema \"{Schema}\" has schema version {version}; this relay knows versions up to {PostgresSchema.CurrentVersion}.");
                }

                for (int v = version; v < PostgresSchema.CurrentVersion; v++)
                {
                    await PostgresWork.ExecuteAsync(work.Command(PostgresSchema.Migrations[v]), ct).ConfigureAwait(false);
                }

                if (version < PostgresSchema.CurrentVersion)
                {
                    await PostgresWork.ExecuteAsync(work.Command("DELETE FROM schema_version;"), ct).ConfigureAwait(false);
                    await PostgresWork.ExecuteAsync(work.Command("INSERT INTO schema_version (version) VALUES (@v);").With("v", PostgresSchema.CurrentVersion), ct).ConfigureAwait(false);
                }

                return true;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask PingAsync(CancellationToken cancellationToken) =>
        await Read((work, ct) => PostgresWork.ScalarAsync(work.Command("SELECT 1;"), ct), cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _dataSource.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Whether an attempt failed for a reason that a new attempt (on a new connection) may not meet.</summary>
    /// <param name="exception">The failure.</param>
    /// <returns><see langword="true"/> for lost connections, a restarting or overloaded server, serialization failures and deadlocks.</returns>
    internal static bool IsTransient(Exception exception) => exception switch
    {
        PostgresException pg => pg.IsTransient
            || pg.SqlState.StartsWith("08", StringComparison.Ordinal) // connection exceptions
            || pg.SqlState.StartsWith("57P0", StringComparison.Ordinal) // admin shutdown, crash shutdown, cannot connect now
            || pg.SqlState is PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.TooManyConnections,
        NpgsqlException npgsql => npgsql.IsTransient || npgsql.InnerException is IOException or TimeoutException,
        TimeoutException or IOException => true,
        _ => false,
    };

    /// <summary>Runs <paramref name="body"/> in one transaction, again on a transient failure; commits unless it called <see cref="PostgresWork.Abort"/>.</summary>
    private ValueTask<T> Write<T>(Func<PostgresWork, CancellationToken, Task<T>> body, CancellationToken cancellationToken) =>
        Run(body, transactional: true, cancellationToken);

    /// <summary>Runs <paramref name="body"/> on a pooled connection without a transaction, again on a transient failure.</summary>
    private ValueTask<T> Read<T>(Func<PostgresWork, CancellationToken, Task<T>> body, CancellationToken cancellationToken) =>
        Run(body, transactional: false, cancellationToken);

    private async ValueTask<T> Run<T>(Func<PostgresWork, CancellationToken, Task<T>> body, bool transactional, CancellationToken cancellationToken)
    {
        long started = Stopwatch.GetTimestamp();
        for (int attempt = 1; ; attempt++)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            try
            {
                NpgsqlConnection connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
                await using (connection.ConfigureAwait(false))
                {
                    if (!transactional)
                    {
                        return await body(new PostgresWork(connection, null), cancellationToken).ConfigureAwait(false);
                    }

                    NpgsqlTransaction transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                    await using (transaction.ConfigureAwait(false))
                    {
                        var work = new PostgresWork(connection, transaction);
                        T result = await body(work, cancellationToken).ConfigureAwait(false);
                        if (work.Aborted)
                        {
                            await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
                        }
                        else
                        {
                            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                        }

                        return result;
                    }
                }
            }
            catch (Exception ex) when (IsTransient(ex)
                && !cancellationToken.IsCancellationRequested
                && attempt < RelayServerLimits.PostgresMaxAttempts
                && Stopwatch.GetElapsedTime(started) < RelayServerLimits.PostgresRetryBudget)
            {
                if (ex is not PostgresException { SqlState: PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected })
                {
                    // The server went away: every pooled connection to it is dead too.
                    _dataSource.Clear();
                }

                int delay = Math.Min(RelayServerLimits.PostgresRetryFirstDelayMilliseconds << Math.Min(attempt - 1, 16), RelayServerLimits.PostgresRetryMaxDelayMilliseconds);
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static byte[] Bytes(NpgsqlDataReader reader, int ordinal) => reader.GetFieldValue<byte[]>(ordinal);

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex SchemaName();
}
