using System.Buffers.Binary;
using System.Security.Cryptography;
using Microsoft.Data.Sqlite;

namespace E2eChat.Storage.Sqlite;

/// <summary>
/// The pre-key stores: signed, one-time and KEM pre-keys by id, each sealed. Removal is one
/// <c>DELETE</c>, and its row count says whether this caller removed the key.
/// </summary>
public sealed partial class SqliteProtocolStore
{
    private static readonly PreKeyTable s_signedPreKeys = new("signed_pre_keys", StoreTable.SignedPreKeys);
    private static readonly PreKeyTable s_oneTimePreKeys = new("one_time_pre_keys", StoreTable.OneTimePreKeys);
    private static readonly PreKeyTable s_kemPreKeys = new("kem_pre_keys", StoreTable.KemPreKeys);

    /// <summary>Bytes of the length prefix in front of a private key inside a sealed pre-key value.</summary>
    private const int LengthPrefix = sizeof(int);

    /// <inheritdoc/>
    public ValueTask<SignedPreKey?> GetSignedPreKeyAsync(uint id, CancellationToken cancellationToken = default) =>
        RunAsync(() => ReadKey(s_signedPreKeys, id, static (id, value) =>
        {
            Split(value, out ReadOnlySpan<byte> privateKey, out ReadOnlySpan<byte> signature);
            return SignedPreKey.Import(id, privateKey, signature);
        }), cancellationToken);

    /// <inheritdoc/>
    public ValueTask SaveSignedPreKeyAsync(SignedPreKey key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return SaveKeyAsync(s_signedPreKeys, key.Id, key.ExportPrivateKey, key.Signature.ToArray(), cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask RemoveSignedPreKeyAsync(uint id, CancellationToken cancellationToken = default) =>
        new(RunAsync(() => DeleteKey(s_signedPreKeys, id, null), cancellationToken).AsTask());

    /// <inheritdoc/>
    public ValueTask<OneTimePreKey?> GetOneTimePreKeyAsync(uint id, CancellationToken cancellationToken = default) =>
        RunAsync(() => ReadKey(s_oneTimePreKeys, id, static (id, value) =>
        {
            Split(value, out ReadOnlySpan<byte> privateKey, out ReadOnlySpan<byte> rest);
            return rest.IsEmpty ? OneTimePreKey.Import(id, privateKey) : throw new E2eChatException(E2eChatFailure.Corrupt);
        }), cancellationToken);

    /// <inheritdoc/>
    public ValueTask SaveOneTimePreKeyAsync(OneTimePreKey key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return SaveKeyAsync(s_oneTimePreKeys, key.Id, key.ExportPrivateKey, [], cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<bool> RemoveOneTimePreKeyAsync(uint id, CancellationToken cancellationToken = default) =>
        RunAsync(() => DeleteKey(s_oneTimePreKeys, id, null), cancellationToken);

    /// <inheritdoc/>
    public ValueTask<KemPreKey?> GetKemPreKeyAsync(uint id, CancellationToken cancellationToken = default) =>
        RunAsync(() => ReadKey(s_kemPreKeys, id, static (id, value) =>
        {
            Split(value, out ReadOnlySpan<byte> secretKey, out ReadOnlySpan<byte> rest);
            if (rest.IsEmpty || !Enum.IsDefined((KemPreKeyKind)rest[0]))
            {
                throw new E2eChatException(E2eChatFailure.Corrupt);
            }

            return KemPreKey.Import(id, (KemPreKeyKind)rest[0], secretKey, rest[1..]);
        }), cancellationToken);

    /// <inheritdoc/>
    public ValueTask SaveKemPreKeyAsync(KemPreKey key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return SaveKeyAsync(s_kemPreKeys, key.Id, key.ExportSecretKey, [checked((byte)key.Kind), .. key.Signature], cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<bool> RemoveKemPreKeyAsync(uint id, CancellationToken cancellationToken = default) =>
        RunAsync(() => DeleteKey(s_kemPreKeys, id, null), cancellationToken);

    /// <summary>Splits <c>length (4) || private key || rest</c>.</summary>
    private static void Split(ReadOnlySpan<byte> value, out ReadOnlySpan<byte> privateKey, out ReadOnlySpan<byte> rest)
    {
        if (value.Length < LengthPrefix)
        {
            throw new E2eChatException(E2eChatFailure.Corrupt);
        }

        int length = BinaryPrimitives.ReadInt32BigEndian(value);
        if (length < 0 || length > value.Length - LengthPrefix)
        {
            throw new E2eChatException(E2eChatFailure.Corrupt);
        }

        privateKey = value.Slice(LengthPrefix, length);
        rest = value[(LengthPrefix + length)..];
    }

    private T? ReadKey<T>(PreKeyTable table, uint id, Func<uint, byte[], T> import)
        where T : class
    {
        using SqliteCommand command = Command(table.Select);
        command.Parameters.AddWithValue("@id", (long)id);
        if (Blob(command.ExecuteScalar()) is not { } sealedValue)
        {
            return null;
        }

        byte[] value = _sealer.Open(table.Tag, RowSealer.IdRowKey(id), sealedValue);
        try
        {
            return import(id, value);
        }
        catch (ArgumentException)
        {
            // Authentic, but not a key this store wrote (a length or signature is wrong).
            throw new E2eChatException(E2eChatFailure.Corrupt);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(value);
        }
    }

    /// <summary>Writes a pre-key row: <c>length || private key || rest</c>, sealed; the private key is exported for the write only and wiped after.</summary>
    private ValueTask SaveKeyAsync(PreKeyTable table, uint id, Func<SecretBuffer> exportPrivateKey, byte[] rest, CancellationToken cancellationToken) =>
        new(RunAsync(
            () =>
            {
                using SecretBuffer privateKey = exportPrivateKey();
                return WriteKey(table, id, privateKey.Span, rest);
            },
            cancellationToken).AsTask());

    private int WriteKey(PreKeyTable table, uint id, ReadOnlySpan<byte> privateKey, ReadOnlySpan<byte> rest)
    {
        byte[] value = new byte[checked(LengthPrefix + privateKey.Length + rest.Length)];
        try
        {
            BinaryPrimitives.WriteInt32BigEndian(value, privateKey.Length);
            privateKey.CopyTo(value.AsSpan(LengthPrefix));
            rest.CopyTo(value.AsSpan(LengthPrefix + privateKey.Length));
            using SqliteCommand command = Command(table.Upsert);
            command.Parameters.AddWithValue("@id", (long)id);
            command.Parameters.AddWithValue("@value", _sealer.Seal(table.Tag, RowSealer.IdRowKey(id), value));
            return command.ExecuteNonQuery();
        }
        finally
        {
            CryptographicOperations.ZeroMemory(value);
        }
    }

    private bool DeleteKey(PreKeyTable table, uint id, SqliteTransaction? transaction)
    {
        using SqliteCommand command = Command(table.Delete, transaction);
        command.Parameters.AddWithValue("@id", (long)id);
        return command.ExecuteNonQuery() == 1;
    }

    /// <summary>
    /// One pre-key table (<c>id INTEGER PRIMARY KEY, value BLOB NOT NULL</c>): the tag its values are sealed
    /// under and its three statements, written once from the table's name.
    /// </summary>
    private sealed class PreKeyTable
    {
        internal PreKeyTable(string name, StoreTable tag)
        {
            Tag = tag;
            Select = $"SELECT value FROM {name} WHERE id = @id";
            Upsert = $"INSERT INTO {name} (id, value) VALUES (@id, @value) ON CONFLICT (id) DO UPDATE SET value = excluded.value";
            Delete = $"DELETE FROM {name} WHERE id = @id";
        }

        /// <summary>The tag the table's values are sealed under.</summary>
        internal StoreTable Tag { get; }

        /// <summary>Reads the sealed value of <c>@id</c>.</summary>
        internal string Select { get; }

        /// <summary>Writes <c>@value</c> under <c>@id</c>, replacing any value there.</summary>
        internal string Upsert { get; }

        /// <summary>Removes <c>@id</c>; its row count says whether this caller removed it.</summary>
        internal string Delete { get; }
    }
}
