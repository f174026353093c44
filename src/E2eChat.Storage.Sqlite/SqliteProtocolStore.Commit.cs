using Microsoft.Data.Sqlite;

namespace E2eChat.Storage.Sqlite;

/// <summary>The first-message committer: consumed one-time keys, the initiator's identity and the session in one transaction (PROTOCOL.md section 10.2).</summary>
public sealed partial class SqliteProtocolStore
{
    /// <summary>Names of the steps of <see cref="CommitPreKeyMessageAsync"/>, as passed to <see cref="CommitStepHook"/>.</summary>
    internal static class CommitSteps
    {
        internal const string Begun = "begun";
        internal const string OneTimePreKeyRemoved = "one-time-pre-key-removed";
        internal const string KemPreKeyRemoved = "kem-pre-key-removed";
        internal const string IdentitySaved = "identity-saved";
        internal const string SessionStored = "session-stored";
        internal const string Committed = "committed";
    }

    /// <inheritdoc/>
    public ValueTask<PreKeyMessageCommitResult> CommitPreKeyMessageAsync(
        ProtocolAddress address,
        ReadOnlyMemory<byte> sessionRecord,
        long expectedSessionVersion,
        uint oneTimePreKeyId,
        uint oneTimeKemPreKeyId,
        IdentityKey identity,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentOutOfRangeException.ThrowIfNegative(expectedSessionVersion);
        return RunAsync(
            () =>
            {
                byte[] hash = _sealer.HashAddress(address);

                // Disposing the transaction without Commit rolls everything back. Inside
                // RunInTransactionAsync the writes go to a savepoint of the caller's transaction instead.
                SqliteTransaction? ambient = AmbientTransaction;
                using SqliteTransaction? own = ambient is null ? _connection.BeginTransaction(deferred: false) : null;
                SqliteTransaction transaction = own ?? ambient!;
                if (ambient is not null)
                {
                    transaction.Save(PreKeySavepoint);
                }

                PreKeyMessageCommitResult result = Write(transaction);
                if (ambient is null)
                {
                    if (result == PreKeyMessageCommitResult.Committed)
                    {
                        WriteHook?.Invoke("COMMIT");
                        transaction.Commit();
                        Step(CommitSteps.Committed);
                    }
                }
                else if (result == PreKeyMessageCommitResult.Committed)
                {
                    transaction.Release(PreKeySavepoint);
                }
                else
                {
                    transaction.Rollback(PreKeySavepoint);
                    transaction.Release(PreKeySavepoint);
                }

                return result;

                PreKeyMessageCommitResult Write(SqliteTransaction transaction)
                {
                    Step(CommitSteps.Begun);
                    if (oneTimePreKeyId != 0)
                    {
                        if (!DeleteKey(s_oneTimePreKeys, oneTimePreKeyId, transaction))
                        {
                            return PreKeyMessageCommitResult.OneTimePreKeyMissing;
                        }

                        Step(CommitSteps.OneTimePreKeyRemoved);
                    }

                    if (oneTimeKemPreKeyId != 0)
                    {
                        if (!DeleteKey(s_kemPreKeys, oneTimeKemPreKeyId, transaction))
                        {
                            return PreKeyMessageCommitResult.KemPreKeyMissing;
                        }

                        Step(CommitSteps.KemPreKeyRemoved);
                    }

                    if (SaveIdentity(hash, identity, transaction) == IdentitySaveResult.Conflict)
                    {
                        return PreKeyMessageCommitResult.UntrustedIdentity;
                    }

                    Step(CommitSteps.IdentitySaved);
                    if (TryStoreSession(hash, sessionRecord.Span, expectedSessionVersion, transaction) == 0)
                    {
                        return PreKeyMessageCommitResult.SessionChanged;
                    }

                    Step(CommitSteps.SessionStored);
                    return PreKeyMessageCommitResult.Committed;
                }
            },
            cancellationToken);
    }

    /// <summary>The savepoint a first message's writes use inside a caller's transaction.</summary>
    private const string PreKeySavepoint = "prekey_message";

    private void Step(string name) => CommitStepHook?.Invoke(name);
}
