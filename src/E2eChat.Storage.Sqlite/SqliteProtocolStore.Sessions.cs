using Microsoft.Data.Sqlite;

namespace E2eChat.Storage.Sqlite;

/// <summary>The session store: one sealed record per address hash, versioned with compare-and-swap (PROTOCOL.md section 10.1).</summary>
public sealed partial class SqliteProtocolStore
{
    /// <inheritdoc/>
    public ValueTask<VersionedRecord> LoadSessionAsync(ProtocolAddress address, long knownVersion = 0, CancellationToken cancellationToken = default) =>
        RunAsync(
            () => LoadVersioned(
                "SELECT version, CASE WHEN version = @known THEN NULL ELSE record END FROM sessions WHERE address = @key",
                StoreTable.Sessions,
                _sealer.HashAddress(address),
                knownVersion),
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
            () => Tombstone("UPDATE sessions SET record = NULL, version = version + 1 WHERE address = @key", _sealer.HashAddress(address)),
            cancellationToken).AsTask());

    private long TryStoreSession(byte[] hash, ReadOnlySpan<byte> record, long expectedVersion, SqliteTransaction? transaction)
    {
        using SqliteCommand command = Command(
            expectedVersion == 0
                ? "INSERT INTO sessions (address, version, record) VALUES (@key, 1, @record) ON CONFLICT (address) DO NOTHING"
                : "UPDATE sessions SET record = @record, version = version + 1 WHERE address = @key AND version = @expected",
            transaction);
        return CompareAndSwap(command, StoreTable.Sessions, hash, record, expectedVersion);
    }
}
