using E2eChat.Handshake;
using E2eChat.Tests.Sessions;

namespace E2eChat.Tests.Handshake;

/// <summary>
/// The responder's commit of an accepted handshake without a committer (remove the one-time keys,
/// save the identity, store the session) when a step fails and is retried, and the committer path.
/// </summary>
public sealed class PreKeyConsumptionTests
{
    private static readonly ProtocolAddress s_alice = new("alice", 1);

    private static readonly byte[] s_record = [1, 2, 3];

    [Fact]
    public async Task CommitAsync_OneTimePreKeyAlreadyGone_OneTimePreKeyMissingWritesNothing()
    {
        using TestParty bob = await TestParty.CreateAsync("bob", 301);
        IdentityKey alice = IdentityKeyPair.Generate(TestRandom.FromSeed(302)).PublicKey;
        uint oneTimeId = bob.OneTimePreKeys.Ids[0];
        uint kemId = OneTimeKemId(bob);
        Assert.True(await bob.OneTimePreKeys.RemoveOneTimePreKeyAsync(oneTimeId));
        var consumption = new PreKeyConsumption(s_alice, alice, oneTimeId, kemId);

        (PreKeyMessageCommitResult result, long version) = await consumption.CommitAsync(bob.Stores, s_record, 0, CancellationToken.None);

        Assert.Equal(PreKeyMessageCommitResult.OneTimePreKeyMissing, result);
        Assert.Equal(0, version);
        Assert.False(consumption.KeysConsumed);
        Assert.Contains(kemId, bob.KemPreKeys.Ids);
        Assert.Null(await bob.IdentityStore.GetIdentityAsync(s_alice));
        Assert.Equal(0, (await bob.Sessions.LoadSessionAsync(s_alice)).Version);
    }

    [Fact]
    public async Task CommitAsync_KemPreKeyGoneThenRetried_OneTimePreKeyRemovedOnceThenCommitted()
    {
        using TestParty bob = await TestParty.CreateAsync("bob", 303);
        IdentityKey alice = IdentityKeyPair.Generate(TestRandom.FromSeed(304)).PublicKey;
        uint oneTimeId = bob.OneTimePreKeys.Ids[0];
        uint kemId = OneTimeKemId(bob);
        int oneTimeCount = bob.OneTimePreKeys.Count;
        Assert.True(await bob.KemPreKeys.RemoveKemPreKeyAsync(kemId));
        var consumption = new PreKeyConsumption(s_alice, alice, oneTimeId, kemId);

        (PreKeyMessageCommitResult first, long firstVersion) = await consumption.CommitAsync(bob.Stores, s_record, 0, CancellationToken.None);
        Assert.Equal(PreKeyMessageCommitResult.KemPreKeyMissing, first);
        Assert.Equal(0, firstVersion);
        Assert.True(consumption.KeysConsumed);
        Assert.Equal(oneTimeCount - 1, bob.OneTimePreKeys.Count);
        Assert.DoesNotContain(oneTimeId, bob.OneTimePreKeys.Ids);
        Assert.Null(await bob.IdentityStore.GetIdentityAsync(s_alice));

        // The retry does not ask for the consumed keys again (they are gone: asking would fail).
        (PreKeyMessageCommitResult second, long secondVersion) = await consumption.CommitAsync(bob.Stores, s_record, 0, CancellationToken.None);
        Assert.Equal(PreKeyMessageCommitResult.Committed, second);
        Assert.True(secondVersion > 0);
        Assert.Equal(secondVersion, (await bob.Sessions.LoadSessionAsync(s_alice)).Version);
        Assert.Equal(alice, await bob.IdentityStore.GetIdentityAsync(s_alice));
    }

    [Fact]
    public async Task CommitAsync_SessionChangedThenIdentityReplaced_RetryKeepsTheSavedIdentityStep()
    {
        using TestParty bob = await TestParty.CreateAsync("bob", 305);
        IdentityKey alice = IdentityKeyPair.Generate(TestRandom.FromSeed(306)).PublicKey;
        IdentityKey replacement = IdentityKeyPair.Generate(TestRandom.FromSeed(307)).PublicKey;
        long stored = await bob.Sessions.TryStoreSessionAsync(s_alice, new byte[] { 9 }, 0);
        Assert.True(stored > 0);
        var consumption = new PreKeyConsumption(s_alice, alice, 0, 0);

        (PreKeyMessageCommitResult first, long firstVersion) = await consumption.CommitAsync(bob.Stores, s_record, 0, CancellationToken.None);
        Assert.Equal(PreKeyMessageCommitResult.SessionChanged, first);
        Assert.Equal(0, firstVersion);
        Assert.Equal(alice, await bob.IdentityStore.GetIdentityAsync(s_alice));

        // Saved once: a retry does not save (and so does not compare) the identity again.
        await bob.IdentityStore.ApproveIdentityAsync(s_alice, replacement);
        (PreKeyMessageCommitResult second, long secondVersion) = await consumption.CommitAsync(bob.Stores, s_record, stored, CancellationToken.None);
        Assert.Equal(PreKeyMessageCommitResult.Committed, second);
        Assert.True(secondVersion > stored);
        Assert.Equal(s_record, (await bob.Sessions.LoadSessionAsync(s_alice)).Record);
    }

    [Fact]
    public async Task CommitAsync_IdentityConflict_UntrustedIdentityStoresNoSession()
    {
        using TestParty bob = await TestParty.CreateAsync("bob", 308);
        IdentityKey alice = IdentityKeyPair.Generate(TestRandom.FromSeed(309)).PublicKey;
        IdentityKey other = IdentityKeyPair.Generate(TestRandom.FromSeed(310)).PublicKey;
        Assert.Equal(IdentitySaveResult.FirstUse, await bob.IdentityStore.SaveIdentityAsync(s_alice, other));
        var consumption = new PreKeyConsumption(s_alice, alice, 0, 0);

        (PreKeyMessageCommitResult result, long version) = await consumption.CommitAsync(bob.Stores, s_record, 0, CancellationToken.None);

        Assert.Equal(PreKeyMessageCommitResult.UntrustedIdentity, result);
        Assert.Equal(0, version);
        Assert.Equal(0, (await bob.Sessions.LoadSessionAsync(s_alice)).Version);
        Assert.Equal(other, await bob.IdentityStore.GetIdentityAsync(s_alice));
    }

    [Fact]
    public async Task CommitAsync_WithCommitter_DelegatesEverythingAndReportsItsResult()
    {
        using TestParty bob = await TestParty.CreateAsync("bob", 311);
        IdentityKey alice = IdentityKeyPair.Generate(TestRandom.FromSeed(312)).PublicKey;
        uint oneTimeId = bob.OneTimePreKeys.Ids[0];
        uint kemId = OneTimeKemId(bob);
        using var committer = new AtomicTestCommitter(bob.Stores) { ReportSessionChanged = 1 };
        var stores = new ProtocolStores(bob.IdentityStore, bob.Sessions, bob.SignedPreKeys, bob.OneTimePreKeys, bob.KemPreKeys, committer);
        var consumption = new PreKeyConsumption(s_alice, alice, oneTimeId, kemId);

        (PreKeyMessageCommitResult result, long version) = await consumption.CommitAsync(stores, s_record, 0, CancellationToken.None);

        Assert.Equal(PreKeyMessageCommitResult.SessionChanged, result);
        Assert.Equal(0, version);
        Assert.Equal(1, committer.Calls);
        Assert.False(consumption.KeysConsumed);
        Assert.Contains(oneTimeId, bob.OneTimePreKeys.Ids);
        Assert.Contains(kemId, bob.KemPreKeys.Ids);
        Assert.Null(await bob.IdentityStore.GetIdentityAsync(s_alice));

        (PreKeyMessageCommitResult retried, _) = await consumption.CommitAsync(stores, s_record, 0, CancellationToken.None);
        Assert.Equal(PreKeyMessageCommitResult.Committed, retried);
        Assert.Equal(2, committer.Calls);
        Assert.DoesNotContain(oneTimeId, bob.OneTimePreKeys.Ids);
        Assert.DoesNotContain(kemId, bob.KemPreKeys.Ids);
    }

    private static uint OneTimeKemId(TestParty party) => party.KemPreKeys.Ids.First(id => id != party.Generator.LastResortKemPreKeyId);
}
