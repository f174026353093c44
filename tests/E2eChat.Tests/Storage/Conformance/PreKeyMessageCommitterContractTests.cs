
namespace E2eChat.Tests.Storage;

/// <summary>
/// The conformance suite of <see cref="IPreKeyMessageCommitter"/> (PROTOCOL.md section 10.2): all or
/// nothing, whatever the reason for refusing. Run against every implementation (public API only).
/// </summary>
public abstract class PreKeyMessageCommitterContractTests : IDisposable
{
    private const uint OneTimeId = 7;
    private const uint KemId = 8;
    private static readonly ProtocolAddress s_alice = new("alice", 1);

    /// <summary>The initiator's identity.</summary>
    protected IdentityKeyPair Alice { get; } = IdentityKeyPair.Generate();

    /// <summary>Another identity.</summary>
    protected IdentityKeyPair Mallory { get; } = IdentityKeyPair.Generate();

    /// <summary>The stores the committer writes.</summary>
    protected abstract ProtocolStores Stores { get; }

    /// <summary>The committer under test.</summary>
    protected abstract IPreKeyMessageCommitter Committer { get; }

    [Fact]
    public async Task Commit_AllPresent_WritesEverything()
    {
        await SeedKeysAsync();
        Assert.Equal(PreKeyMessageCommitResult.Committed, await CommitAsync(0, OneTimeId, KemId, Alice.PublicKey));
        Assert.Null(await Stores.OneTimePreKeys.GetOneTimePreKeyAsync(OneTimeId));
        Assert.Null(await Stores.KemPreKeys.GetKemPreKeyAsync(KemId));
        Assert.Equal(Alice.PublicKey, await Stores.Identities.GetIdentityAsync(s_alice));
        VersionedRecord session = await Stores.Sessions.LoadSessionAsync(s_alice);
        Assert.Equal(new byte[] { 1, 2, 3 }, session.Record);
    }

    [Fact]
    public async Task Commit_NoOneTimeKeysUsed_WritesIdentityAndSession()
    {
        Assert.Equal(PreKeyMessageCommitResult.Committed, await CommitAsync(0, 0, 0, Alice.PublicKey));
        Assert.Equal(Alice.PublicKey, await Stores.Identities.GetIdentityAsync(s_alice));
        Assert.NotNull((await Stores.Sessions.LoadSessionAsync(s_alice)).Record);
    }

    [Fact]
    public async Task Commit_OneTimePreKeyGone_WritesNothing()
    {
        await SeedKeysAsync();
        Assert.True(await Stores.OneTimePreKeys.RemoveOneTimePreKeyAsync(OneTimeId));
        Assert.Equal(PreKeyMessageCommitResult.OneTimePreKeyMissing, await CommitAsync(0, OneTimeId, KemId, Alice.PublicKey));
        await AssertNothingWrittenAsync(expectOneTimeKey: false);
    }

    [Fact]
    public async Task Commit_KemPreKeyGone_WritesNothing()
    {
        await SeedKeysAsync();
        Assert.True(await Stores.KemPreKeys.RemoveKemPreKeyAsync(KemId));
        Assert.Equal(PreKeyMessageCommitResult.KemPreKeyMissing, await CommitAsync(0, OneTimeId, KemId, Alice.PublicKey));
        using OneTimePreKey? kept = await Stores.OneTimePreKeys.GetOneTimePreKeyAsync(OneTimeId);
        Assert.NotNull(kept);
        Assert.Null(await Stores.Identities.GetIdentityAsync(s_alice));
        Assert.Equal(0, (await Stores.Sessions.LoadSessionAsync(s_alice)).Version);
    }

    [Fact]
    public async Task Commit_DifferentIdentityRecorded_UntrustedAndWritesNothing()
    {
        await SeedKeysAsync();
        await Stores.Identities.SaveIdentityAsync(s_alice, Mallory.PublicKey);
        Assert.Equal(PreKeyMessageCommitResult.UntrustedIdentity, await CommitAsync(0, OneTimeId, KemId, Alice.PublicKey));
        await AssertNothingWrittenAsync(expectOneTimeKey: true, identity: Mallory.PublicKey);
    }

    [Fact]
    public async Task Commit_SessionChangedMeanwhile_SessionChangedAndWritesNothing()
    {
        await SeedKeysAsync();
        long version = await Stores.Sessions.TryStoreSessionAsync(s_alice, new byte[] { 9 }, 0);
        Assert.Equal(PreKeyMessageCommitResult.SessionChanged, await CommitAsync(0, OneTimeId, KemId, Alice.PublicKey));
        await AssertNothingWrittenAsync(expectOneTimeKey: true, sessionVersion: version);
        Assert.Equal(PreKeyMessageCommitResult.Committed, await CommitAsync(version, OneTimeId, KemId, Alice.PublicKey));
    }

    [Fact]
    public async Task Commit_ConcurrentHandshakesOnOneKey_ExactlyOneCommits()
    {
        await SeedKeysAsync();
        PreKeyMessageCommitResult[] results = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
            await CommitAsync(0, OneTimeId, KemId, Alice.PublicKey))));
        Assert.Single(results, r => r == PreKeyMessageCommitResult.Committed);
    }

    [Fact]
    public async Task Commit_Cancelled_ThrowsAndWritesNothing()
    {
        await SeedKeysAsync();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            await Committer.CommitPreKeyMessageAsync(s_alice, new byte[] { 1 }, 0, OneTimeId, KemId, Alice.PublicKey, cancelled.Token));
        await AssertNothingWrittenAsync(expectOneTimeKey: true);
    }

    public virtual void Dispose()
    {
        Alice.Dispose();
        Mallory.Dispose();
        GC.SuppressFinalize(this);
    }

    private ValueTask<PreKeyMessageCommitResult> CommitAsync(long expectedVersion, uint oneTimeId, uint kemId, IdentityKey identity) =>
        Committer.CommitPreKeyMessageAsync(s_alice, new byte[] { 1, 2, 3 }, expectedVersion, oneTimeId, kemId, identity);

    private async Task SeedKeysAsync()
    {
        using var oneTime = OneTimePreKey.Generate(OneTimeId);
        await Stores.OneTimePreKeys.SaveOneTimePreKeyAsync(oneTime);
        IdentityKeyPair ours = await Stores.Identities.GetIdentityKeyPairAsync();
        using var kem = KemPreKey.Generate(ours, KemId, KemPreKeyKind.OneTime);
        await Stores.KemPreKeys.SaveKemPreKeyAsync(kem);
    }

    private async Task AssertNothingWrittenAsync(bool expectOneTimeKey, IdentityKey? identity = null, long sessionVersion = 0)
    {
        using OneTimePreKey? oneTime = await Stores.OneTimePreKeys.GetOneTimePreKeyAsync(OneTimeId);
        Assert.Equal(expectOneTimeKey, oneTime is not null);
        using KemPreKey? kem = await Stores.KemPreKeys.GetKemPreKeyAsync(KemId);
        Assert.NotNull(kem);
        Assert.Equal(identity, await Stores.Identities.GetIdentityAsync(s_alice));
        Assert.Equal(sessionVersion, (await Stores.Sessions.LoadSessionAsync(s_alice)).Version);
    }
}
