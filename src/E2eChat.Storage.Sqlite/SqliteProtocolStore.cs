using System.Security.Cryptography;
using Microsoft.Data.Sqlite;

namespace E2eChat.Storage.Sqlite;

/// <summary>
/// Every client store of E2eChat (<see cref="IIdentityStore"/>, <see cref="ISessionStore"/>,
/// <see cref="ISignedPreKeyStore"/>, <see cref="IOneTimePreKeyStore"/>, <see cref="IKemPreKeyStore"/>,
/// <see cref="ISenderKeyStore"/>) and the first-message committer (<see cref="IPreKeyMessageCommitter"/>)
/// in one SQLite file, sealed at rest under a storage key the application provides.
/// </summary>
/// <remarks>
/// <para>
/// Every value (keys, identities, session and sender-key records) is stored as the spec's sealed state
/// (PROTOCOL.md section 10) under a key derived from the storage key, bound to its table and row: a
/// value changed, or copied to another row, fails to load with <see cref="E2eChatFailure.Unauthentic"/>.
/// Peer addresses and sender-key names are stored only as HMAC-SHA256 hashes under another derived key.
/// One-time pre-key ids and record versions are visible.
/// </para>
/// <para>
/// The file is in WAL mode with <c>synchronous=FULL</c>: an operation that returned is durable, and a
/// process killed at any point loses nothing that was committed. Session and sender-key records are
/// versioned with compare-and-swap exactly as <see cref="ISessionStore"/> describes; one-time pre-key
/// removal is one <c>DELETE</c> whose row count tells the caller whether it removed the key; and
/// <see cref="CommitPreKeyMessageAsync"/> writes a first message in one transaction. Operations from
/// many threads are serialized on the store's one connection. Neither sealing nor versions detect the
/// whole file put back from an older copy (PROTOCOL.md section 10): keep backups out of reach.
/// </para>
/// </remarks>
public sealed partial class SqliteProtocolStore :
    IIdentityStore, ISessionStore, ISignedPreKeyStore, IOneTimePreKeyStore, IKemPreKeyStore, ISenderKeyStore, IPreKeyMessageCommitter, IDisposable
{
    private const int SqliteNotADatabase = 26;
    private const int SqliteCorrupt = 11;

    private readonly SqliteConnection _connection;
    private readonly RowSealer _sealer;
    private readonly IdentityKeyPair _identity;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private bool _disposed;
    private long _busyTicks;

    private SqliteProtocolStore(string path, SqliteConnection connection, RowSealer sealer, IdentityKeyPair identity)
    {
        Path = path;
        _connection = connection;
        _sealer = sealer;
        _identity = identity;
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <summary>
    /// Test hook: called with the name of each step of <see cref="CommitPreKeyMessageAsync"/>'s
    /// transaction (to simulate a process killed there).
    /// </summary>
    internal Action<string>? CommitStepHook { get; set; }

    /// <summary>
    /// Test hook: called before every statement that writes and before every commit, with the
    /// statement's first word (to simulate a process killed at the k-th write by throwing).
    /// </summary>
    internal Action<string>? WriteHook { get; set; }

    /// <summary>Benchmarks: <see cref="System.Diagnostics.Stopwatch"/> ticks spent running operations and commits on the connection (not waiting for it).</summary>
    internal long BusyTicks => Interlocked.Read(ref _busyTicks);

    /// <summary>
    /// Opens the store in <paramref name="path"/>, creating the file (with a schema and our identity)
    /// if it does not exist.
    /// </summary>
    /// <param name="path">The database file.</param>
    /// <param name="storageKey">The 32-byte storage key (<see cref="SealedState.StorageKeyLength"/>); keep it in the platform's key store, not next to the file.</param>
    /// <param name="identity">
    /// Our identity for a new file (copied; the caller keeps and disposes its own), or
    /// <see langword="null"/> to generate one. For an existing file it must be <see langword="null"/>
    /// or the identity the file holds.
    /// </param>
    /// <returns>The open store; dispose it to close the file and wipe its keys.</returns>
    /// <exception cref="ArgumentException">The path is empty, the storage key is not 32 bytes, or <paramref name="identity"/> is not the file's identity.</exception>
    /// <exception cref="E2eChatException">
    /// The file is refused: <see cref="E2eChatFailure.Unauthentic"/> (a wrong storage key, or the
    /// identity was changed), <see cref="E2eChatFailure.UnknownVersion"/> (written by a newer
    /// version) or <see cref="E2eChatFailure.Corrupt"/> (not one of our files).
    /// </exception>
    public static SqliteProtocolStore Open(string path, ReadOnlySpan<byte> storageKey, IdentityKeyPair? identity = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (storageKey.Length != SealedState.StorageKeyLength)
        {
            throw new ArgumentException($"Expected a {SealedState.StorageKeyLength}-byte storage key.", nameof(storageKey));
        }

        var sealer = new RowSealer(storageKey);
        SqliteConnection? connection = null;
        try
        {
            connection = new SqliteConnection(new SqliteConnectionStringBuilder
            {
                DataSource = path,
                Mode = SqliteOpenMode.ReadWriteCreate,
                Pooling = false,
                DefaultTimeout = SqliteStoreSchema.BusyTimeoutMilliseconds / 1000,
            }.ToString());
            connection.Open();
            IdentityKeyPair own = Initialize(connection, sealer, identity);
            return new SqliteProtocolStore(path, connection, sealer, own);
        }
        catch (SqliteException e) when (e.SqliteErrorCode is SqliteNotADatabase or SqliteCorrupt)
        {
            connection?.Dispose();
            sealer.Dispose();
            throw new E2eChatException(E2eChatFailure.Corrupt);
        }
        catch
        {
            connection?.Dispose();
            sealer.Dispose();
            throw;
        }
    }

    /// <summary>These stores as the <see cref="ProtocolStores"/> a <see cref="SessionManager"/> works over, with this store as the first-message committer.</summary>
    /// <returns>The stores.</returns>
    public ProtocolStores ToProtocolStores() => new(this, this, this, this, this, this);

    /// <summary>Closes the file and wipes the keys held in memory (our identity included: stop using it).</summary>
    public void Dispose()
    {
        _gate.Wait();
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _connection.Dispose();
            _sealer.Dispose();
            _identity.Dispose();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The number of rows of <paramref name="table"/> holding a value (tests and benchmarks).</summary>
    internal int CountRows(StoreTable table) => Run(() =>
    {
        using SqliteCommand command = _connection.CreateCommand();
        command.CommandText = table switch
        {
            StoreTable.Identities => "SELECT count(*) FROM identities",
            StoreTable.Sessions => "SELECT count(*) FROM sessions WHERE record IS NOT NULL",
            StoreTable.SignedPreKeys => "SELECT count(*) FROM signed_pre_keys",
            StoreTable.OneTimePreKeys => "SELECT count(*) FROM one_time_pre_keys",
            StoreTable.KemPreKeys => "SELECT count(*) FROM kem_pre_keys",
            StoreTable.SenderKeys => "SELECT count(*) FROM sender_keys WHERE record IS NOT NULL",
            _ => throw new ArgumentOutOfRangeException(nameof(table)),
        };
        return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    });

    private static IdentityKeyPair Initialize(SqliteConnection connection, RowSealer sealer, IdentityKeyPair? identity)
    {
        Execute(connection, $"PRAGMA busy_timeout = {SqliteStoreSchema.BusyTimeoutMilliseconds};");
        Execute(connection, "PRAGMA journal_mode = WAL;");
        Execute(connection, "PRAGMA synchronous = FULL;");
        Execute(connection, "PRAGMA secure_delete = ON;");

        if (ReadTables(connection, null).Count == 0)
        {
            using SqliteTransaction transaction = connection.BeginTransaction(deferred: false);
            if (ReadTables(connection, transaction).Count == 0)
            {
                using IdentityKeyPair created = identity is null ? IdentityKeyPair.Generate() : Copy(identity);
                using SqliteCommand create = connection.CreateCommand();
                create.Transaction = transaction;
                create.CommandText = SqliteStoreSchema.CreateVersion1 + SqliteStoreSchema.MigrateVersion1To2;
                create.ExecuteNonQuery();

                using SecretBuffer privateKey = created.ExportPrivateKey();
                using SqliteCommand insert = connection.CreateCommand();
                insert.Transaction = transaction;
                insert.CommandText = "INSERT INTO own_identity (id, value) VALUES (1, @value)";
                insert.Parameters.AddWithValue("@value", sealer.Seal(StoreTable.OwnIdentity, RowSealer.IdRowKey(1), privateKey.Span));
                insert.ExecuteNonQuery();
                transaction.Commit();
            }
        }

        MigrateIfOld(connection);
        CheckSchema(connection);
        IdentityKeyPair own = LoadOwnIdentity(connection, sealer);
        if (identity is not null && identity.PublicKey != own.PublicKey)
        {
            own.Dispose();
            throw new ArgumentException("The file holds a different identity.", nameof(identity));
        }

        return own;
    }

    /// <summary>Brings a version 1 file (checked first) to the current version in one transaction.</summary>
    private static void MigrateIfOld(SqliteConnection connection)
    {
        using SqliteTransaction transaction = connection.BeginTransaction(deferred: false);
        using SqliteCommand read = connection.CreateCommand();
        read.Transaction = transaction;
        read.CommandText = "SELECT version FROM schema_version";
        if (ReadTables(connection, transaction).Contains("schema_version") && read.ExecuteScalar() is 1L)
        {
            if (!ReadTables(connection, transaction).SequenceEqual(SqliteStoreSchema.Version1Tables, StringComparer.Ordinal))
            {
                throw new E2eChatException(E2eChatFailure.Corrupt);
            }

            using SqliteCommand migrate = connection.CreateCommand();
            migrate.Transaction = transaction;
            migrate.CommandText = SqliteStoreSchema.MigrateVersion1To2;
            migrate.ExecuteNonQuery();
            transaction.Commit();
        }
    }

    private static void CheckSchema(SqliteConnection connection)
    {
        List<string> tables = ReadTables(connection, null);
        if (!tables.Contains("schema_version"))
        {
            throw new E2eChatException(E2eChatFailure.Corrupt);
        }

        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT version FROM schema_version";
        using SqliteDataReader reader = command.ExecuteReader();
        if (!reader.Read() || reader.IsDBNull(0))
        {
            throw new E2eChatException(E2eChatFailure.Corrupt);
        }

        long version = Integer(reader.GetValue(0));
        if (reader.Read())
        {
            throw new E2eChatException(E2eChatFailure.Corrupt);
        }

        if (version > SqliteStoreSchema.CurrentVersion)
        {
            throw new E2eChatException(E2eChatFailure.UnknownVersion);
        }

        if (version != SqliteStoreSchema.CurrentVersion || !tables.SequenceEqual(SqliteStoreSchema.Version2Tables, StringComparer.Ordinal))
        {
            throw new E2eChatException(E2eChatFailure.Corrupt);
        }
    }

    private static IdentityKeyPair LoadOwnIdentity(SqliteConnection connection, RowSealer sealer)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT value FROM own_identity WHERE id = 1";
        if (Blob(command.ExecuteScalar()) is not { } sealedValue)
        {
            throw new E2eChatException(E2eChatFailure.Corrupt);
        }

        byte[] privateKey = sealer.Open(StoreTable.OwnIdentity, RowSealer.IdRowKey(1), sealedValue);
        try
        {
            return privateKey.Length == IdentityKeyPair.PrivateKeyLength
                ? IdentityKeyPair.Import(privateKey)
                : throw new E2eChatException(E2eChatFailure.Corrupt);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(privateKey);
        }
    }

    private static IdentityKeyPair Copy(IdentityKeyPair identity)
    {
        using SecretBuffer privateKey = identity.ExportPrivateKey();
        return IdentityKeyPair.Import(privateKey.Span);
    }

    private static List<string> ReadTables(SqliteConnection connection, SqliteTransaction? transaction)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name";
        using SqliteDataReader reader = command.ExecuteReader();
        var tables = new List<string>();
        while (reader.Read())
        {
            tables.Add(reader.GetString(0));
        }

        return tables;
    }

    /// <summary>A BLOB column: <see langword="null"/> for SQL NULL (or no row); any other type is <see cref="E2eChatFailure.Corrupt"/>.</summary>
    private static byte[]? Blob(object? value) => value switch
    {
        null or DBNull => null,
        byte[] bytes => bytes,
        _ => throw new E2eChatException(E2eChatFailure.Corrupt),
    };

    /// <summary>An INTEGER column; any other type is <see cref="E2eChatFailure.Corrupt"/>.</summary>
    private static long Integer(object? value) => value is long integer ? integer : throw new E2eChatException(E2eChatFailure.Corrupt);

    private static void Execute(SqliteConnection connection, string sql)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>
    /// Runs <paramref name="work"/> on the connection, one operation at a time; inside
    /// <see cref="RunInTransactionAsync"/> (the same asynchronous flow) it joins that transaction.
    /// </summary>
    private async ValueTask<T> RunAsync<T>(Func<T> work, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (s_ambient.Value is { } scope && ReferenceEquals(scope.Store, this))
        {
            await JoinAsync(scope, cancellationToken).ConfigureAwait(false);
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (Interlocked.Exchange(ref scope.Busy, 1) != 0)
            {
                throw new InvalidOperationException("Two operations at once in one transaction (tasks started inside RunInTransactionAsync).");
            }

            long started = System.Diagnostics.Stopwatch.GetTimestamp();
            try
            {
                return work();
            }
            finally
            {
                Interlocked.Add(ref _busyTicks, System.Diagnostics.Stopwatch.GetTimestamp() - started);
                Volatile.Write(ref scope.Busy, 0);
            }
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            cancellationToken.ThrowIfCancellationRequested();
            long started = System.Diagnostics.Stopwatch.GetTimestamp();
            try
            {
                return work();
            }
            finally
            {
                Interlocked.Add(ref _busyTicks, System.Diagnostics.Stopwatch.GetTimestamp() - started);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private T Run<T>(Func<T> work)
    {
        _gate.Wait();
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return work();
        }
        finally
        {
            _gate.Release();
        }
    }

    private SqliteCommand Command(string sql, SqliteTransaction? transaction = null)
    {
        SqliteCommand command = _connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction ?? AmbientTransaction;
        if (WriteHook is not null && !sql.StartsWith("SELECT", StringComparison.Ordinal))
        {
            WriteHook(sql[..sql.IndexOf(' ', StringComparison.Ordinal)]);
        }

        return command;
    }
}
