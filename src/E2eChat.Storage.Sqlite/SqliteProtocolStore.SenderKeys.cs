using System.Security.Cryptography;
using Microsoft.Data.Sqlite;

namespace E2eChat.Storage.Sqlite;

/// <summary>
/// The sender-key store: one sealed record per name hash, versioned like sessions, with the name
/// itself sealed next to it so that <see cref="GetSenderKeyNamesAsync"/> can list the names.
/// </summary>
public sealed partial class SqliteProtocolStore
{
    /// <inheritdoc/>
    public ValueTask<VersionedRecord> LoadSenderKeyAsync(SenderKeyName name, long knownVersion = 0, CancellationToken cancellationToken = default) =>
        RunAsync(
            () => LoadVersioned(
                "SELECT version, CASE WHEN version = @known THEN NULL ELSE record END FROM sender_keys WHERE name = @key",
                StoreTable.SenderKeys,
                _sealer.HashSenderKeyName(name),
                knownVersion),
            cancellationToken);

    /// <inheritdoc/>
    public ValueTask<long> TryStoreSenderKeyAsync(SenderKeyName name, ReadOnlyMemory<byte> record, long expectedVersion, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(expectedVersion);
        return RunAsync(
            () =>
            {
                byte[] hash = _sealer.HashSenderKeyName(name);
                using SqliteCommand command = Command(expectedVersion == 0
                    ? "INSERT INTO sender_keys (name, version, sealed_name, record) VALUES (@key, 1, @sealedName, @record) ON CONFLICT (name) DO NOTHING"
                    : "UPDATE sender_keys SET record = @record, version = version + 1 WHERE name = @key AND version = @expected");
                command.Parameters.AddWithValue("@sealedName", _sealer.Seal(StoreTable.SenderKeyNames, hash, RowSealer.EncodeSenderKeyName(name)));
                return CompareAndSwap(command, StoreTable.SenderKeys, hash, record.Span, expectedVersion);
            },
            cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask RemoveSenderKeyAsync(SenderKeyName name, CancellationToken cancellationToken = default) =>
        new(RunAsync(
            () => Tombstone("UPDATE sender_keys SET record = NULL, version = version + 1 WHERE name = @key", _sealer.HashSenderKeyName(name)),
            cancellationToken).AsTask());

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<SenderKeyName>> GetSenderKeyNamesAsync(CancellationToken cancellationToken = default) =>
        RunAsync<IReadOnlyList<SenderKeyName>>(
            () =>
            {
                using SqliteCommand command = Command("SELECT name, sealed_name FROM sender_keys WHERE record IS NOT NULL");
                using SqliteDataReader reader = command.ExecuteReader();
                var names = new List<SenderKeyName>();
                while (reader.Read())
                {
                    byte[] hash = Blob(reader.GetValue(0)) ?? throw new E2eChatException(E2eChatFailure.Corrupt);
                    byte[] encoded = _sealer.Open(StoreTable.SenderKeyNames, hash, Blob(reader.GetValue(1)) ?? throw new E2eChatException(E2eChatFailure.Corrupt));
                    SenderKeyName name = RowSealer.DecodeSenderKeyName(encoded);
                    if (!CryptographicOperations.FixedTimeEquals(hash, _sealer.HashSenderKeyName(name)))
                    {
                        throw new E2eChatException(E2eChatFailure.Unauthentic);
                    }

                    names.Add(name);
                }

                return names;
            },
            cancellationToken);
}
