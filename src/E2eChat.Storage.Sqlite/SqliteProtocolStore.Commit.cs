using E2eChat.Keys;
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

                // Disposing the transaction without Commit rolls everything back.
                using SqliteTransaction transaction = _connection.BeginTransaction(deferred: false);
                Step(CommitSteps.Begun);
                if (oneTimePreKeyId != 0)
                {
                    if (!DeleteKey(DeleteOneTimePreKey, oneTimePreKeyId, transaction))
                    {
                        return PreKeyMessageCommitResult.OneTimePreKeyMissing;
                    }

                    Step(CommitSteps.OneTimePreKeyRemoved);
                }

                if (oneTimeKemPreKeyId != 0)
                {
                    if (!DeleteKey(DeleteKemPreKey, oneTimeKemPreKeyId, transaction))
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
                transaction.Commit();
                Step(CommitSteps.Committed);
                return PreKeyMessageCommitResult.Committed;
            },
            cancellationToken);
    }

    private void Step(string name) => CommitStepHook?.Invoke(name);
}
