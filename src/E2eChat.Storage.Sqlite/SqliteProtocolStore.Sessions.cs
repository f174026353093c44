using System.Security.Cryptography;
using Microsoft.Data.Sqlite;

namespace E2eChat.Storage.Sqlite;

/// <summary>The session store: one sealed record per address hash, versioned with compare-and-swap (PROTOCOL.md section 10.1).</summary>
public sealed partial class SqliteProtocolStore
{
    /// <inheritdoc/>
    public ValueTask<VersionedRecord> LoadSessionAsync(ProtocolAddress address, long knownVersion = 0, CancellationToken cancellationToken = default) =>
        RunAsync(
            () =>
            {
                byte[] hash = _sealer.HashAddress(address);
                using SqliteCommand command = Command("SELECT version, CASE WHEN version = @known THEN NULL ELSE record END FROM sessions WHERE address = @address");
                command.Parameters.AddWithValue("@address", hash);
                command.Parameters.AddWithValue("@known", knownVersion);
                return ReadVersioned(command, StoreTable.Sessions, hash);
            },
            cancellationToken);

    /// <inheritdoc/>
    public ValueTask<long> TryStoreSessionAsync(ProtocolAddress address, ReadOnlyMemory<byte> record, long expectedVersion, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(expectedVersion);
        return RunAsync(() => TryStoreSession(_sealer.HashAddress(address), record.Span, expectedVersion, null), cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask DeleteSessionAsync(ProtocolAddress address, CancellationToken cancellationToken = default) =>
        new(RunAsync(
            () =>
            {
                // A tombstone: the row keeps a fresh version, never one a cache may still hold.
                using SqliteCommand command = Command("UPDATE sessions SET record = NULL, version = version + 1 WHERE address = @address");
                command.Parameters.AddWithValue("@address", _sealer.HashAddress(address));
                return command.ExecuteNonQuery();
            },
            cancellationToken).AsTask());

    private long TryStoreSession(byte[] hash, ReadOnlySpan<byte> record, long expectedVersion, SqliteTransaction? transaction)
    {
        using SqliteCommand command = Command(
            expectedVersion == 0
                ? "INSERT INTO sessions (address, version, record) VALUES (@address, 1, @record) ON CONFLICT (address) DO NOTHING"
                : "UPDATE sessions SET record = @record, version = version + 1 WHERE address = @address AND version = @expected",
            transaction);
        command.Parameters.AddWithValue("@address", hash);
        command.Parameters.AddWithValue("@record", _sealer.Seal(StoreTable.Sessions, hash, record));
        command.Parameters.AddWithValue("@expected", expectedVersion);
        return command.ExecuteNonQuery() == 1 ? checked(expectedVersion + 1) : 0;
    }

    /// <summary>Reads <c>(version, record or NULL)</c>: no row is version 0; a record is opened for <paramref name="table"/> and <paramref name="hash"/>.</summary>
    private VersionedRecord ReadVersioned(SqliteCommand command, StoreTable table, byte[] hash)
    {
        using SqliteDataReader reader = command.ExecuteReader();
        if (!reader.Read())
        {
            return default;
        }

        long version = Integer(reader.GetValue(0));
        if (version <= 0)
        {
            throw new E2eChatException(E2eChatFailure.Corrupt);
        }

        if (Blob(reader.GetValue(1)) is not { } sealedRecord)
        {
            return new VersionedRecord(version, null);
        }

        byte[] record = _sealer.Open(table, hash, sealedRecord);
        try
        {
            return new VersionedRecord(version, record);
        }
        catch
        {
            CryptographicOperations.ZeroMemory(record);
            throw;
        }
    }
}
