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
    private const string SelectSignedPreKey = "SELECT value FROM signed_pre_keys WHERE id = @id";
    private const string UpsertSignedPreKey = "INSERT INTO signed_pre_keys (id, value) VALUES (@id, @value) ON CONFLICT (id) DO UPDATE SET value = excluded.value";
    private const string DeleteSignedPreKey = "DELETE FROM signed_pre_keys WHERE id = @id";
    private const string SelectOneTimePreKey = "SELECT value FROM one_time_pre_keys WHERE id = @id";
    private const string UpsertOneTimePreKey = "INSERT INTO one_time_pre_keys (id, value) VALUES (@id, @value) ON CONFLICT (id) DO UPDATE SET value = excluded.value";
    private const string DeleteOneTimePreKey = "DELETE FROM one_time_pre_keys WHERE id = @id";
    private const string SelectKemPreKey = "SELECT value FROM kem_pre_keys WHERE id = @id";
    private const string UpsertKemPreKey = "INSERT INTO kem_pre_keys (id, value) VALUES (@id, @value) ON CONFLICT (id) DO UPDATE SET value = excluded.value";
    private const string DeleteKemPreKey = "DELETE FROM kem_pre_keys WHERE id = @id";

    /// <summary>Bytes of the length prefix in front of a private key inside a sealed pre-key value.</summary>
    private const int LengthPrefix = sizeof(int);

    /// <inheritdoc/>
    public ValueTask<SignedPreKey?> GetSignedPreKeyAsync(uint id, CancellationToken cancellationToken = default) =>
        RunAsync(() => ReadKey(SelectSignedPreKey, StoreTable.SignedPreKeys, id, static (id, value) =>
        {
            Split(value, out ReadOnlySpan<byte> privateKey, out ReadOnlySpan<byte> signature);
            return SignedPreKey.Import(id, privateKey, signature);
        }), cancellationToken);

    /// <inheritdoc/>
    public ValueTask SaveSignedPreKeyAsync(SignedPreKey key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return SaveKeyAsync(UpsertSignedPreKey, StoreTable.SignedPreKeys, key.Id, key.ExportPrivateKey, key.Signature.ToArray(), cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask RemoveSignedPreKeyAsync(uint id, CancellationToken cancellationToken = default) =>
        new(RunAsync(() => DeleteKey(DeleteSignedPreKey, id, null), cancellationToken).AsTask());

    /// <inheritdoc/>
    public ValueTask<OneTimePreKey?> GetOneTimePreKeyAsync(uint id, CancellationToken cancellationToken = default) =>
        RunAsync(() => ReadKey(SelectOneTimePreKey, StoreTable.OneTimePreKeys, id, static (id, value) =>
        {
            Split(value, out ReadOnlySpan<byte> privateKey, out ReadOnlySpan<byte> rest);
            return rest.IsEmpty ? OneTimePreKey.Import(id, privateKey) : throw new E2eChatException(E2eChatFailure.Corrupt);
        }), cancellationToken);

    /// <inheritdoc/>
    public ValueTask SaveOneTimePreKeyAsync(OneTimePreKey key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return SaveKeyAsync(UpsertOneTimePreKey, StoreTable.OneTimePreKeys, key.Id, key.ExportPrivateKey, [], cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<bool> RemoveOneTimePreKeyAsync(uint id, CancellationToken cancellationToken = default) =>
        RunAsync(() => DeleteKey(DeleteOneTimePreKey, id, null), cancellationToken);

    /// <inheritdoc/>
    public ValueTask<KemPreKey?> GetKemPreKeyAsync(uint id, CancellationToken cancellationToken = default) =>
        RunAsync(() => ReadKey(SelectKemPreKey, StoreTable.KemPreKeys, id, static (id, value) =>
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
        return SaveKeyAsync(UpsertKemPreKey, StoreTable.KemPreKeys, key.Id, key.ExportSecretKey, [checked((byte)key.Kind), .. key.Signature], cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<bool> RemoveKemPreKeyAsync(uint id, CancellationToken cancellationToken = default) =>
        RunAsync(() => DeleteKey(DeleteKemPreKey, id, null), cancellationToken);

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

    private T? ReadKey<T>(string sql, StoreTable table, uint id, Func<uint, byte[], T> import)
        where T : class
    {
        using SqliteCommand command = Command(sql);
        command.Parameters.AddWithValue("@id", (long)id);
        if (Blob(command.ExecuteScalar()) is not { } sealedValue)
        {
            return null;
        }

        byte[] value = _sealer.Open(table, RowSealer.IdRowKey(id), sealedValue);
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
    private ValueTask SaveKeyAsync(string sql, StoreTable table, uint id, Func<SecretBuffer> exportPrivateKey, byte[] rest, CancellationToken cancellationToken) =>
        new(RunAsync(
            () =>
            {
                using SecretBuffer privateKey = exportPrivateKey();
                return WriteKey(sql, table, id, privateKey.Span, rest);
            },
            cancellationToken).AsTask());

    private int WriteKey(string sql, StoreTable table, uint id, ReadOnlySpan<byte> privateKey, ReadOnlySpan<byte> rest)
    {
        byte[] value = new byte[checked(LengthPrefix + privateKey.Length + rest.Length)];
        try
        {
            BinaryPrimitives.WriteInt32BigEndian(value, privateKey.Length);
            privateKey.CopyTo(value.AsSpan(LengthPrefix));
            rest.CopyTo(value.AsSpan(LengthPrefix + privateKey.Length));
            using SqliteCommand command = Command(sql);
            command.Parameters.AddWithValue("@id", (long)id);
            command.Parameters.AddWithValue("@value", _sealer.Seal(table, RowSealer.IdRowKey(id), value));
            return command.ExecuteNonQuery();
        }
        finally
        {
            CryptographicOperations.ZeroMemory(value);
        }
    }

    private bool DeleteKey(string sql, uint id, SqliteTransaction? transaction)
    {
        using SqliteCommand command = Command(sql, transaction);
        command.Parameters.AddWithValue("@id", (long)id);
        return command.ExecuteNonQuery() == 1;
    }
}
