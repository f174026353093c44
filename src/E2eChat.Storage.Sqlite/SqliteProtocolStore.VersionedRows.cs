using System.Security.Cryptography;
using Microsoft.Data.Sqlite;

namespace E2eChat.Storage.Sqlite;

/// <summary>
/// The versioned rows that sessions and sender keys share: a sealed record under a key hash with a
/// version that every write raises (compare-and-swap on save, PROTOCOL.md section 10.1), and a
/// tombstone for a removed record.
/// </summary>
public sealed partial class SqliteProtocolStore
{
    /// <summary>
    /// Runs a versioned insert (<paramref name="expectedVersion"/> 0) or compare-and-swap update whose row
    /// is <c>@key</c>, with <c>@record</c> sealed for <paramref name="table"/> and <paramref name="hash"/>.
    /// </summary>
    /// <returns>The new version, or 0 when the row was not at <paramref name="expectedVersion"/>.</returns>
    private long CompareAndSwap(SqliteCommand command, StoreTable table, byte[] hash, ReadOnlySpan<byte> record, long expectedVersion)
    {
        command.Parameters.AddWithValue("@key", hash);
        command.Parameters.AddWithValue("@record", _sealer.Seal(table, hash, record));
        command.Parameters.AddWithValue("@expected", expectedVersion);
        return command.ExecuteNonQuery() == 1 ? checked(expectedVersion + 1) : 0;
    }

    /// <summary>
    /// Runs <paramref name="update"/>, which empties the record of row <c>@key</c> and raises its version: a
    /// tombstone, so the row keeps a fresh version, never one a cache may still hold.
    /// </summary>
    private int Tombstone(string update, byte[] hash)
    {
        using SqliteCommand command = Command(update);
        command.Parameters.AddWithValue("@key", hash);
        return command.ExecuteNonQuery();
    }

    /// <summary>
    /// Runs <paramref name="select"/>, which reads <c>(version, record or NULL)</c> of row <c>@key</c> (the
    /// record NULL when the version is <c>@known</c>): no row is version 0; a record is opened for
    /// <paramref name="table"/> and <paramref name="hash"/>.
    /// </summary>
    private VersionedRecord LoadVersioned(string select, StoreTable table, byte[] hash, long knownVersion)
    {
        using SqliteCommand command = Command(select);
        command.Parameters.AddWithValue("@key", hash);
        command.Parameters.AddWithValue("@known", knownVersion);
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
