using System.Security.Cryptography;
using System.Text;
using E2eChat.Wire;
using Microsoft.Data.Sqlite;
using static E2eChat.Client.SqliteCommands;

namespace E2eChat.Client;

/// <summary>
/// The client's own small state, next to the protocol store: which device the directory belongs to,
/// the next pre-key id of each kind (reserved before keys are made, so a restarted client never reuses
/// an id and overwrites a published key), the pre-keys currently published, and the received message
/// ids for de-duplication (stored only as keyed hashes), and the signed device lists of the accounts
/// the device talks to (public, signed data; replaced by compare-and-swap). One SQLite file, WAL,
/// <c>synchronous=FULL</c>.
/// </summary>
internal sealed class ClientStateStore : IAccountStore, IDisposable
{
    /// <summary>The file's schema version (<c>PRAGMA user_version</c>); older or newer files are refused.</summary>
    internal const int SchemaVersion = 1;

    /// <summary>The tables of a new <c>client.db</c>, created in one transaction that also sets its version.</summary>
    private const string CreateSchema = """
        BEGIN IMMEDIATE;
        CREATE TABLE device (id INTEGER PRIMARY KEY CHECK (id = 1), name TEXT NOT NULL, device INTEGER NOT NULL, kind INTEGER NOT NULL);
        CREATE TABLE prekey_ids (kind INTEGER PRIMARY KEY, next_id INTEGER NOT NULL);
        CREATE TABLE published (id INTEGER PRIMARY KEY CHECK (id = 1), signed_id INTEGER NOT NULL, last_resort_id INTEGER NOT NULL, published_ms INTEGER NOT NULL);
        CREATE TABLE received (key BLOB PRIMARY KEY, received_ms INTEGER NOT NULL) WITHOUT ROWID;
        PRAGMA user_version = 1;
        COMMIT;
        """;

    /// <summary>Received ids are hashed to this many bytes (128 bits: no collision among any number of messages one device sees).</summary>
    private const int ReceivedKeyLength = 16;

    private static readonly byte[] s_receivedLabel = Encoding.ASCII.GetBytes("E2eChat/v1/client-received-id");

    private readonly SqliteConnection _connection;
    private readonly byte[] _receivedKey;
    private readonly Lock _lock = new();

    private ClientStateStore(SqliteConnection connection, byte[] receivedKey)
    {
        _connection = connection;
        _receivedKey = receivedKey;
    }

    /// <summary>Test hook: called before every write with its name (to simulate a process killed at the k-th write by throwing).</summary>
    internal Action<string>? WriteHook { get; set; }

    /// <summary>Opens (or creates) the file for <paramref name="device"/>; a file of another device is refused.</summary>
    public static ClientStateStore Open(string path, ReadOnlySpan<byte> storageKey, ProtocolAddress device, AccountKind kind)
    {
        SqliteConnection connection = OpenFile(path, CreateSchema, SchemaVersion, "client state", out bool created);
        byte[] receivedKey = new byte[32];
        HKDF.DeriveKey(HashAlgorithmName.SHA256, storageKey, receivedKey, salt: [], info: s_receivedLabel);
        try
        {
            if (created)
            {
                using SqliteCommand insert = Command(connection, "INSERT INTO device (id, name, device, kind) VALUES (1, $name, $device, $kind)");
                insert.Parameters.AddWithValue("$name", device.Name);
                insert.Parameters.AddWithValue("$device", (long)device.DeviceId);
                insert.Parameters.AddWithValue("$kind", (long)kind);
                insert.ExecuteNonQuery();
            }

            // Added within version 1 (a table of its own, so files without it gain it unchanged otherwise).
            Execute(connection, "CREATE TABLE IF NOT EXISTS device_lists (account TEXT PRIMARY KEY, list BLOB NOT NULL)");

            using (SqliteCommand read = Command(connection, "SELECT name, device, kind FROM device WHERE id = 1"))
            using (SqliteDataReader reader = read.ExecuteReader())
            {
                if (!reader.Read() || reader.GetString(0) != device.Name || reader.GetInt64(1) != device.DeviceId || reader.GetInt64(2) != (long)kind)
                {
                    throw new ArgumentException($"{path} belongs to another device than {device} ({kind}).", nameof(device));
                }
            }

            return new ClientStateStore(connection, receivedKey);
        }
        catch
        {
            CryptographicOperations.ZeroMemory(receivedKey);
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Reserves <paramref name="count"/> consecutive ids of <paramref name="kind"/> (durably, before any key with them exists) and returns the first.</summary>
    public uint ReserveIds(PreKeyIdKind kind, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        WriteHook?.Invoke("ReserveIds");
        lock (_lock)
        {
            using SqliteCommand command = Command(_connection, """
                INSERT INTO prekey_ids (kind, next_id) VALUES ($kind, 1 + $count)
                ON CONFLICT (kind) DO UPDATE SET next_id = next_id + $count
                RETURNING next_id - $count
                """);
            command.Parameters.AddWithValue("$kind", (long)kind);
            command.Parameters.AddWithValue("$count", (long)count);
            long first = (long)command.ExecuteScalar()!;
            if (first + count > uint.MaxValue)
            {
                throw new InvalidOperationException($"The {kind} pre-key ids are used up.");
            }

            return (uint)first;
        }
    }

    /// <summary>The pre-keys the relay serves now.</summary>
    public PublishedPreKeys GetPublished()
    {
        lock (_lock)
        {
            using SqliteCommand command = Command(_connection, "SELECT signed_id, last_resort_id, published_ms FROM published WHERE id = 1");
            using SqliteDataReader reader = command.ExecuteReader();
            return reader.Read() ? new PublishedPreKeys((uint)reader.GetInt64(0), (uint)reader.GetInt64(1), reader.GetInt64(2)) : default;
        }
    }

    /// <summary>Records the pre-keys the relay accepted.</summary>
    public void SetPublished(PublishedPreKeys published)
    {
        WriteHook?.Invoke("SetPublished");
        lock (_lock)
        {
            using SqliteCommand command = Command(_connection, """
                INSERT INTO published (id, signed_id, last_resort_id, published_ms) VALUES (1, $signed, $kem, $ms)
                ON CONFLICT (id) DO UPDATE SET signed_id = excluded.signed_id, last_resort_id = excluded.last_resort_id, published_ms = excluded.published_ms
                """);
            command.Parameters.AddWithValue("$signed", (long)published.SignedPreKeyId);
            command.Parameters.AddWithValue("$kem", (long)published.LastResortKemPreKeyId);
            command.Parameters.AddWithValue("$ms", published.PublishedAtMilliseconds);
            command.ExecuteNonQuery();
        }
    }

    /// <summary>Whether a message with this id from this sender was received (and committed) before.</summary>
    public bool WasReceived(ProtocolAddress sender, ReadOnlySpan<byte> messageId)
    {
        byte[] key = ReceivedKey(sender, messageId);
        lock (_lock)
        {
            using SqliteCommand command = Command(_connection, "SELECT 1 FROM received WHERE key = $key");
            command.Parameters.AddWithValue("$key", key);
            return command.ExecuteScalar() is not null;
        }
    }

    /// <summary>Records a received message id (idempotent).</summary>
    public void MarkReceived(ProtocolAddress sender, ReadOnlySpan<byte> messageId, long nowMilliseconds)
    {
        byte[] key = ReceivedKey(sender, messageId);
        WriteHook?.Invoke("MarkReceived");
        lock (_lock)
        {
            using SqliteCommand command = Command(_connection, "INSERT OR IGNORE INTO received (key, received_ms) VALUES ($key, $ms)");
            command.Parameters.AddWithValue("$key", key);
            command.Parameters.AddWithValue("$ms", nowMilliseconds);
            command.ExecuteNonQuery();
        }
    }

    /// <summary>Forgets received ids older than <paramref name="beforeMilliseconds"/>; returns how many.</summary>
    public int ForgetReceivedBefore(long beforeMilliseconds)
    {
        lock (_lock)
        {
            using SqliteCommand command = Command(_connection, "DELETE FROM received WHERE received_ms < $before");
            command.Parameters.AddWithValue("$before", beforeMilliseconds);
            return command.ExecuteNonQuery();
        }
    }

    /// <inheritdoc/>
    public ValueTask<SignedDeviceList?> GetDeviceListAsync(string account, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        cancellationToken.ThrowIfCancellationRequested();
        byte[]? bytes;
        lock (_lock)
        {
            using SqliteCommand command = Command(_connection, "SELECT list FROM device_lists WHERE account = $account");
            command.Parameters.AddWithValue("$account", account);
            bytes = command.ExecuteScalar() as byte[];
        }

        if (bytes is null)
        {
            return ValueTask.FromResult<SignedDeviceList?>(null);
        }

        // Stored only after it verified; a file changed underneath reads as missing, never as a list.
        return ValueTask.FromResult(SignedDeviceList.TryRead(bytes, out SignedDeviceList? list, out _) ? list : null);
    }

    /// <inheritdoc/>
    public ValueTask<bool> TryReplaceDeviceListAsync(string account, SignedDeviceList? expected, SignedDeviceList replacement, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(replacement);
        cancellationToken.ThrowIfCancellationRequested();
        WriteHook?.Invoke("ReplaceDeviceList");
        lock (_lock)
        {
            using SqliteCommand command = expected is null
                ? Command(_connection, "INSERT OR IGNORE INTO device_lists (account, list) VALUES ($account, $list)")
                : Command(_connection, "UPDATE device_lists SET list = $list WHERE account = $account AND list = $expected");
            command.Parameters.AddWithValue("$account", account);
            command.Parameters.AddWithValue("$list", replacement.ToBytes());
            if (expected is not null)
            {
                command.Parameters.AddWithValue("$expected", expected.ToBytes());
            }

            return ValueTask.FromResult(command.ExecuteNonQuery() == 1);
        }
    }

    /// <summary>Closes the file and wipes the hashing key.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            CryptographicOperations.ZeroMemory(_receivedKey);
            _connection.Dispose();
        }
    }

    /// <summary><c>HMAC(key, u8(len(name)) || name || u8(device) || message id)</c>, truncated: the sender and id stay unreadable in the file.</summary>
    private byte[] ReceivedKey(ProtocolAddress sender, ReadOnlySpan<byte> messageId)
    {
        Span<byte> input = stackalloc byte[2 + ProtocolAddress.MaxNameLength + 4 + 64];
        int nameLength = Encoding.ASCII.GetBytes(sender.Name, input[1..]);
        input[0] = (byte)nameLength;
        input[1 + nameLength] = (byte)sender.DeviceId;
        int length = 2 + nameLength;
        if (messageId.Length > input.Length - length)
        {
            throw new ArgumentException("Message ids are 16 bytes.", nameof(messageId));
        }

        messageId.CopyTo(input[length..]);
        length += messageId.Length;
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(_receivedKey, input[..length], mac);
        return mac[..ReceivedKeyLength].ToArray();
    }
}
