using Microsoft.Data.Sqlite;

namespace E2eChat.Storage.Sqlite;

/// <summary>The identity store: our key pair (loaded at open) and peers' identities by address hash.</summary>
public sealed partial class SqliteProtocolStore
{
    /// <inheritdoc/>
    public ValueTask<IdentityKeyPair> GetIdentityKeyPairAsync(CancellationToken cancellationToken = default) =>
        RunAsync(() => _identity, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<IdentityKey?> GetIdentityAsync(ProtocolAddress address, CancellationToken cancellationToken = default) =>
        RunAsync(() => ReadIdentity(_sealer.HashAddress(address), null), cancellationToken);

    /// <inheritdoc/>
    public ValueTask<IdentitySaveResult> SaveIdentityAsync(ProtocolAddress address, IdentityKey identity, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(identity);
        return RunAsync(() => SaveIdentity(_sealer.HashAddress(address), identity, null), cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<bool> IsTrustedAsync(ProtocolAddress address, IdentityKey identity, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(identity);
        return RunAsync(
            () => ReadIdentity(_sealer.HashAddress(address), null) is not { } known || known == identity,
            cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask ApproveIdentityAsync(ProtocolAddress address, IdentityKey identity, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(identity);
        return new ValueTask(RunAsync(
            () =>
            {
                byte[] hash = _sealer.HashAddress(address);
                using SqliteCommand command = Command("INSERT INTO identities (address, value) VALUES (@address, @value) ON CONFLICT (address) DO UPDATE SET value = excluded.value");
                command.Parameters.AddWithValue("@address", hash);
                command.Parameters.AddWithValue("@value", _sealer.Seal(StoreTable.Identities, hash, identity.AsSpan()));
                return command.ExecuteNonQuery();
            },
            cancellationToken).AsTask());
    }

    /// <summary>Trust on first use in one statement: insert unless a row exists, then compare with the row.</summary>
    private IdentitySaveResult SaveIdentity(byte[] hash, IdentityKey identity, SqliteTransaction? transaction)
    {
        using (SqliteCommand insert = Command("INSERT INTO identities (address, value) VALUES (@address, @value) ON CONFLICT (address) DO NOTHING", transaction))
        {
            insert.Parameters.AddWithValue("@address", hash);
            insert.Parameters.AddWithValue("@value", _sealer.Seal(StoreTable.Identities, hash, identity.AsSpan()));
            if (insert.ExecuteNonQuery() == 1)
            {
                return IdentitySaveResult.FirstUse;
            }
        }

        return ReadIdentity(hash, transaction) == identity ? IdentitySaveResult.Unchanged : IdentitySaveResult.Conflict;
    }

    private IdentityKey? ReadIdentity(byte[] hash, SqliteTransaction? transaction)
    {
        using SqliteCommand command = Command("SELECT value FROM identities WHERE address = @address", transaction);
        command.Parameters.AddWithValue("@address", hash);
        if (Blob(command.ExecuteScalar()) is not { } sealedValue)
        {
            return null;
        }

        byte[] bytes = _sealer.Open(StoreTable.Identities, hash, sealedValue);
        return IdentityKey.TryParse(bytes, out IdentityKey? identity, out _) ? identity : throw new E2eChatException(E2eChatFailure.Corrupt);
    }
}
