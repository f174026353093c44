using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using static E2eChat.Client.SqliteCommands;

namespace E2eChat.Client;

/// <summary>
/// The device's groups and status posts, in <c>groups.db</c> next to the protocol store: per audience
/// it sends to (a group or its status audience) the member accounts and the devices that hold its
/// current sender key; and the status posts received and not yet expired. Every row's contents are
/// sealed (AES-256-GCM under a key derived from the storage key, the row's key as associated data):
/// who is in a group and what a status says stay unreadable in the file. The sender keys themselves
/// live in the protocol store (<see cref="ISenderKeyStore"/>). One SQLite file, WAL,
/// <c>synchronous=FULL</c>.
/// </summary>
internal sealed class GroupStateStore : IDisposable
{
    /// <summary>The file's schema version (<c>PRAGMA user_version</c>); other versions are refused.</summary>
    internal const int SchemaVersion = 1;

    /// <summary>The tables of a new <c>groups.db</c>, created in one transaction that also sets its version.</summary>
    private const string CreateSchema = """
        BEGIN IMMEDIATE;
        CREATE TABLE groups (id BLOB PRIMARY KEY, record BLOB NOT NULL) WITHOUT ROWID;
        CREATE TABLE status (key BLOB PRIMARY KEY, expires_ms INTEGER NOT NULL, record BLOB NOT NULL) WITHOUT ROWID;
        CREATE TABLE settings (name TEXT PRIMARY KEY, value BLOB NOT NULL);
        PRAGMA user_version = 1;
        COMMIT;
        """;

    private const int NonceLength = 12;
    private const int TagLength = 16;

    private static readonly byte[] s_sealLabel = Encoding.ASCII.GetBytes("E2eChat/v1/client-groups-seal");
    private static readonly byte[] s_hashLabel = Encoding.ASCII.GetBytes("E2eChat/v1/client-groups-hash");

    private readonly SqliteConnection _connection;
    private readonly byte[] _sealKey;
    private readonly byte[] _hashKey;
    private readonly Lock _lock = new();

    private GroupStateStore(SqliteConnection connection, byte[] sealKey, byte[] hashKey)
    {
        _connection = connection;
        _sealKey = sealKey;
        _hashKey = hashKey;
    }

    /// <summary>Opens (or creates) the file.</summary>
    /// <exception cref="InvalidDataException">The file has another schema version.</exception>
    public static GroupStateStore Open(string path, ReadOnlySpan<byte> storageKey)
    {
        SqliteConnection connection = OpenFile(path, CreateSchema, SchemaVersion, "group state", out _);
        byte[] sealKey = new byte[32];
        byte[] hashKey = new byte[32];
        HKDF.DeriveKey(HashAlgorithmName.SHA256, storageKey, sealKey, salt: [], info: s_sealLabel);
        HKDF.DeriveKey(HashAlgorithmName.SHA256, storageKey, hashKey, salt: [], info: s_hashLabel);
        try
        {
            return new GroupStateStore(connection, sealKey, hashKey);
        }
        catch
        {
            CryptographicOperations.ZeroMemory(sealKey);
            CryptographicOperations.ZeroMemory(hashKey);
            connection.Dispose();
            throw;
        }
    }

    /// <summary>The group stored under <paramref name="groupId"/>, or <see langword="null"/> (also for a row that does not unseal).</summary>
    public GroupRecord? GetGroup(ReadOnlySpan<byte> groupId)
    {
        byte[] rowKey = Hash("group", groupId.ToArray());
        byte[]? sealedRecord;
        lock (_lock)
        {
            using SqliteCommand command = Command(_connection, "SELECT record FROM groups WHERE id = $id");
            command.Parameters.AddWithValue("$id", rowKey);
            sealedRecord = command.ExecuteScalar() as byte[];
        }

        byte[]? json = sealedRecord is null ? null : Unseal(rowKey, sealedRecord);
        return json is null ? null : JsonSerializer.Deserialize(json, GroupStateJson.Default.GroupRecord);
    }

    /// <summary>Inserts or replaces the group (durably, before anything it describes is sent).</summary>
    public void PutGroup(ReadOnlySpan<byte> groupId, GroupRecord record)
    {
        byte[] rowKey = Hash("group", groupId.ToArray());
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(record, GroupStateJson.Default.GroupRecord);
        lock (_lock)
        {
            using SqliteCommand command = Command(_connection, "INSERT INTO groups (id, record) VALUES ($id, $record) ON CONFLICT (id) DO UPDATE SET record = excluded.record");
            command.Parameters.AddWithValue("$id", rowKey);
            command.Parameters.AddWithValue("$record", Seal(rowKey, json));
            command.ExecuteNonQuery();
        }
    }

    /// <summary>A small setting (for example the status audience's id), or <see langword="null"/>.</summary>
    public byte[]? GetSetting(string name)
    {
        lock (_lock)
        {
            using SqliteCommand command = Command(_connection, "SELECT value FROM settings WHERE name = $name");
            command.Parameters.AddWithValue("$name", name);
            return command.ExecuteScalar() as byte[];
        }
    }

    /// <summary>Sets a small setting once; returns the value stored (the earlier one when it was set before).</summary>
    public byte[] GetOrAddSetting(string name, byte[] value)
    {
        lock (_lock)
        {
            using (SqliteCommand insert = Command(_connection, "INSERT OR IGNORE INTO settings (name, value) VALUES ($name, $value)"))
            {
                insert.Parameters.AddWithValue("$name", name);
                insert.Parameters.AddWithValue("$value", value);
                insert.ExecuteNonQuery();
            }

            using SqliteCommand read = Command(_connection, "SELECT value FROM settings WHERE name = $name");
            read.Parameters.AddWithValue("$name", name);
            return (byte[])read.ExecuteScalar()!;
        }
    }

    /// <summary>Stores a received status post (idempotent: a redelivery replaces nothing).</summary>
    public void PutStatus(StatusRecord record)
    {
        byte[] key = StatusKey(record);
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(record, GroupStateJson.Default.StatusRecord);
        lock (_lock)
        {
            using SqliteCommand command = Command(_connection, "INSERT OR IGNORE INTO status (key, expires_ms, record) VALUES ($key, $expires, $record)");
            command.Parameters.AddWithValue("$key", key);
            command.Parameters.AddWithValue("$expires", record.ExpiresAtMilliseconds);
            command.Parameters.AddWithValue("$record", Seal(key, json));
            command.ExecuteNonQuery();
        }
    }

    /// <summary>The stored status posts that expire after <paramref name="nowMilliseconds"/>, oldest first.</summary>
    public IReadOnlyList<StatusRecord> ListStatus(long nowMilliseconds)
    {
        var found = new List<StatusRecord>();
        lock (_lock)
        {
            using SqliteCommand command = Command(_connection, "SELECT key, record FROM status WHERE expires_ms > $now");
            command.Parameters.AddWithValue("$now", nowMilliseconds);
            using SqliteDataReader reader = command.ExecuteReader();
            while (reader.Read())
            {
                byte[]? json = Unseal((byte[])reader[0], (byte[])reader[1]);
                if (json is not null && JsonSerializer.Deserialize(json, GroupStateJson.Default.StatusRecord) is { } record)
                {
                    found.Add(record);
                }
            }
        }

        return [.. found.OrderBy(r => r.PostedAtMilliseconds)];
    }

    /// <summary>Deletes the status posts expired at <paramref name="nowMilliseconds"/>; returns how many.</summary>
    public int DeleteExpiredStatus(long nowMilliseconds)
    {
        lock (_lock)
        {
            using SqliteCommand command = Command(_connection, "DELETE FROM status WHERE expires_ms <= $now");
            command.Parameters.AddWithValue("$now", nowMilliseconds);
            return command.ExecuteNonQuery();
        }
    }

    /// <summary>How many status rows the file holds, expired or not (for tests).</summary>
    public long CountStatusRows()
    {
        lock (_lock)
        {
            return Scalar(_connection, "SELECT count(*) FROM status") ?? 0;
        }
    }

    /// <summary>Closes the file and wipes the keys.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            CryptographicOperations.ZeroMemory(_sealKey);
            CryptographicOperations.ZeroMemory(_hashKey);
            _connection.Dispose();
        }
    }

    private byte[] StatusKey(StatusRecord record) =>
        Hash("status", Encoding.UTF8.GetBytes($"{record.SenderName}.{record.SenderDevice}.{record.MessageIdHex}"));

    /// <summary>A keyed hash of a row's key: the file shows neither group ids nor senders.</summary>
    private byte[] Hash(string table, byte[] key)
    {
        byte[] input = [.. Encoding.ASCII.GetBytes(table), 0, .. key];
        return HMACSHA256.HashData(_hashKey, input);
    }

    /// <summary>Seals a row's contents: a random nonce, AES-256-GCM with the row's stored key as associated data (a row moved to another key does not open).</summary>
    private byte[] Seal(byte[] rowKey, byte[] plaintext)
    {
        byte[] output = new byte[NonceLength + plaintext.Length + TagLength];
        RandomNumberGenerator.Fill(output.AsSpan(0, NonceLength));
        using var aes = new AesGcm(_sealKey, TagLength);
        aes.Encrypt(output.AsSpan(0, NonceLength), plaintext, output.AsSpan(NonceLength, plaintext.Length), output.AsSpan(NonceLength + plaintext.Length), rowKey);
        CryptographicOperations.ZeroMemory(plaintext);
        return output;
    }

    /// <summary>Opens a sealed row; <see langword="null"/> when it was changed, moved or sealed under another key.</summary>
    private byte[]? Unseal(byte[] rowKey, byte[] sealedRow)
    {
        if (sealedRow.Length < NonceLength + TagLength)
        {
            return null;
        }

        byte[] plaintext = new byte[sealedRow.Length - NonceLength - TagLength];
        using var aes = new AesGcm(_sealKey, TagLength);
        try
        {
            aes.Decrypt(sealedRow.AsSpan(0, NonceLength), sealedRow.AsSpan(NonceLength, plaintext.Length), sealedRow.AsSpan(NonceLength + plaintext.Length), plaintext, rowKey);
            return plaintext;
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }
    }
}
