
namespace E2eChat.Tests.Sessions;

/// <summary>
/// Test helper (not a test class): an <see cref="IPreKeyMessageCommitter"/> over in-memory stores that
/// commits all or nothing under one lock, as a database transaction would, and can be told to report
/// a changed session record a number of times first.
/// </summary>
internal sealed class AtomicTestCommitter(ProtocolStores stores) : IPreKeyMessageCommitter, IDisposable
{
    private readonly SemaphoreSlim _transaction = new(1, 1);

    public void Dispose() => _transaction.Dispose();

    /// <summary>How many commits were asked for.</summary>
    internal int Calls { get; private set; }

    /// <summary>How many of the next commits to refuse with <see cref="PreKeyMessageCommitResult.SessionChanged"/>.</summary>
    internal int ReportSessionChanged { get; set; }

    public async ValueTask<PreKeyMessageCommitResult> CommitPreKeyMessageAsync(
        ProtocolAddress address,
        ReadOnlyMemory<byte> sessionRecord,
        long expectedSessionVersion,
        uint oneTimePreKeyId,
        uint oneTimeKemPreKeyId,
        IdentityKey identity,
        CancellationToken cancellationToken = default)
    {
        await _transaction.WaitAsync(cancellationToken);
        try
        {
            Calls++;
            if (ReportSessionChanged > 0)
            {
                ReportSessionChanged--;
                return PreKeyMessageCommitResult.SessionChanged;
            }

            // Check everything first (the "transaction" writes nothing unless all of it can be written).
            if ((await stores.Sessions.LoadSessionAsync(address, expectedSessionVersion, cancellationToken)).Version != expectedSessionVersion)
            {
                return PreKeyMessageCommitResult.SessionChanged;
            }

            if (oneTimePreKeyId != 0 && await stores.OneTimePreKeys.GetOneTimePreKeyAsync(oneTimePreKeyId, cancellationToken) is null)
            {
                return PreKeyMessageCommitResult.OneTimePreKeyMissing;
            }

            if (oneTimeKemPreKeyId != 0 && await stores.KemPreKeys.GetKemPreKeyAsync(oneTimeKemPreKeyId, cancellationToken) is null)
            {
                return PreKeyMessageCommitResult.KemPreKeyMissing;
            }

            if (!await stores.Identities.IsTrustedAsync(address, identity, cancellationToken))
            {
                return PreKeyMessageCommitResult.UntrustedIdentity;
            }

            if (oneTimePreKeyId != 0)
            {
                Assert.True(await stores.OneTimePreKeys.RemoveOneTimePreKeyAsync(oneTimePreKeyId, CancellationToken.None));
            }

            if (oneTimeKemPreKeyId != 0)
            {
                Assert.True(await stores.KemPreKeys.RemoveKemPreKeyAsync(oneTimeKemPreKeyId, CancellationToken.None));
            }

            await stores.Identities.SaveIdentityAsync(address, identity, CancellationToken.None);
            Assert.NotEqual(0, await stores.Sessions.TryStoreSessionAsync(address, sessionRecord, expectedSessionVersion, CancellationToken.None));
            return PreKeyMessageCommitResult.Committed;
        }
        finally
        {
            _transaction.Release();
        }
    }
}
