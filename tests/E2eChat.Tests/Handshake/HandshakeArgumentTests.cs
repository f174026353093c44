using E2eChat.Handshake;

namespace E2eChat.Tests.Handshake;

/// <summary>
/// Caller mistakes on both sides of the handshake are refused before anything is derived, naming the
/// parameter; and what the secrets' equality and disposal cover.
/// </summary>
public sealed class HandshakeArgumentTests
{
    [Fact]
    public async Task StartAsyncAndCreate_NullOrInvalidArgument_ThrowNamingIt()
    {
        using TestParty alice = await TestParty.CreateAsync("alice", 401);
        using TestParty bob = await TestParty.CreateAsync("bob", 402);
        PreKeyBundle bundle = await bob.BundleAsync(true, true);
        ProtocolAddress to = TestParty.ResponderAddress;

        await Assert.ThrowsAsync<ArgumentNullException>("ourIdentity", async () => await InitiatorHandshake.StartAsync(null!, alice.Address, to, bundle, alice.IdentityStore, alice.Random));
        await Assert.ThrowsAsync<ArgumentNullException>("bundle", async () => await InitiatorHandshake.StartAsync(alice.Identity, alice.Address, to, null!, alice.IdentityStore, alice.Random));
        await Assert.ThrowsAsync<ArgumentNullException>("identityStore", async () => await InitiatorHandshake.StartAsync(alice.Identity, alice.Address, to, bundle, null!, alice.Random));
        await Assert.ThrowsAsync<ArgumentNullException>("random", async () => await InitiatorHandshake.StartAsync(alice.Identity, alice.Address, to, bundle, alice.IdentityStore, null!));

        Assert.Throws<ArgumentNullException>("ourIdentity", () => InitiatorHandshake.Create(null!, alice.Address, to, bundle, alice.Random));
        Assert.Throws<ArgumentNullException>("bundle", () => InitiatorHandshake.Create(alice.Identity, alice.Address, to, null!, alice.Random));
        Assert.Throws<ArgumentNullException>("random", () => InitiatorHandshake.Create(alice.Identity, alice.Address, to, bundle, null!));
        Assert.Throws<ArgumentException>("ourAddress", () => InitiatorHandshake.Create(alice.Identity, default, to, bundle, alice.Random));
        Assert.Throws<ArgumentException>("remoteAddress", () => InitiatorHandshake.Create(alice.Identity, alice.Address, default, bundle, alice.Random));
        Assert.Equal(0, alice.IdentityStore.Count);
    }

    [Fact]
    public async Task StartAsync_NullIdentityOrRandomWithUntrustedPeer_ThrowsBeforeTheTrustCheck()
    {
        using TestParty alice = await TestParty.CreateAsync("alice", 403);
        using TestParty bob = await TestParty.CreateAsync("bob", 404);
        using TestParty newBob = await TestParty.CreateAsync("bob", 405);
        await alice.IdentityStore.SaveIdentityAsync(bob.Address, bob.Identity.PublicKey);
        PreKeyBundle changed = await newBob.BundleAsync(true, true);

        // Without the checks up front, the untrusted peer would give UntrustedIdentity instead of the argument error.
        await Assert.ThrowsAsync<ArgumentNullException>("ourIdentity", async () => await InitiatorHandshake.StartAsync(null!, alice.Address, bob.Address, changed, alice.IdentityStore, alice.Random));
        await Assert.ThrowsAsync<ArgumentNullException>("random", async () => await InitiatorHandshake.StartAsync(alice.Identity, alice.Address, bob.Address, changed, alice.IdentityStore, null!));
        (E2eChatFailure failure, InitiatorHandshakeResult? result) = await InitiatorHandshake.StartAsync(alice.Identity, alice.Address, bob.Address, changed, alice.IdentityStore, alice.Random);
        Assert.Equal(E2eChatFailure.UntrustedIdentity, failure);
        Assert.Null(result);
    }

    [Fact]
    public async Task AcceptAsync_NullOrInvalidArgument_ThrowsNamingIt()
    {
        using TestParty alice = await TestParty.CreateAsync("alice", 403);
        using TestParty bob = await TestParty.CreateAsync("bob", 404);
        using InitiatorHandshakeResult initiator = InitiatorHandshake.Create(alice.Identity, alice.Address, TestParty.ResponderAddress, await bob.BundleAsync(true, true), alice.Random);
        E2eChat.Wire.Proto.PreKeyMessage message = ResponderHandshakeTests.Message(initiator);
        IdentityKeyPair id = bob.Identity;
        ProtocolAddress me = bob.Address;
        ProtocolAddress from = alice.Address;

        await Assert.ThrowsAsync<ArgumentNullException>("ourIdentity", async () => await ResponderHandshake.AcceptAsync(null!, me, from, message, bob.IdentityStore, bob.SignedPreKeys, bob.OneTimePreKeys, bob.KemPreKeys));
        await Assert.ThrowsAsync<ArgumentNullException>("message", async () => await ResponderHandshake.AcceptAsync(id, me, from, null!, bob.IdentityStore, bob.SignedPreKeys, bob.OneTimePreKeys, bob.KemPreKeys));
        await Assert.ThrowsAsync<ArgumentNullException>("identityStore", async () => await ResponderHandshake.AcceptAsync(id, me, from, message, null!, bob.SignedPreKeys, bob.OneTimePreKeys, bob.KemPreKeys));
        await Assert.ThrowsAsync<ArgumentNullException>("signedPreKeys", async () => await ResponderHandshake.AcceptAsync(id, me, from, message, bob.IdentityStore, null!, bob.OneTimePreKeys, bob.KemPreKeys));
        await Assert.ThrowsAsync<ArgumentNullException>("oneTimePreKeys", async () => await ResponderHandshake.AcceptAsync(id, me, from, message, bob.IdentityStore, bob.SignedPreKeys, null!, bob.KemPreKeys));
        await Assert.ThrowsAsync<ArgumentNullException>("kemPreKeys", async () => await ResponderHandshake.AcceptAsync(id, me, from, message, bob.IdentityStore, bob.SignedPreKeys, bob.OneTimePreKeys, null!));
        await Assert.ThrowsAsync<ArgumentException>("ourAddress", async () => await ResponderHandshake.AcceptAsync(id, default, from, message, bob.IdentityStore, bob.SignedPreKeys, bob.OneTimePreKeys, bob.KemPreKeys));
        await Assert.ThrowsAsync<ArgumentException>("address", async () => await ResponderHandshake.AcceptAsync(id, me, default, message, bob.IdentityStore, bob.SignedPreKeys, bob.OneTimePreKeys, bob.KemPreKeys));
    }

    [Fact]
    public async Task CommitAsyncAndConsumption_Null_Throws()
    {
        using TestParty bob = await TestParty.CreateAsync("bob", 405);
        Assert.Throws<ArgumentNullException>("initiatorIdentity", () => new PreKeyConsumption(new ProtocolAddress("alice", 1), null!, 0, 0));
        var consumption = new PreKeyConsumption(new ProtocolAddress("alice", 1), bob.Identity.PublicKey, 0, 0);
        await Assert.ThrowsAsync<ArgumentNullException>("stores", async () => await consumption.CommitAsync(null!, new byte[] { 1 }, 0, CancellationToken.None));
    }

    [Fact]
    public async Task Dispose_InitiatorResult_WipesEverySecretBuffer()
    {
        using TestParty alice = await TestParty.CreateAsync("alice", 406);
        using TestParty bob = await TestParty.CreateAsync("bob", 407);
        InitiatorHandshakeResult result = InitiatorHandshake.Create(alice.Identity, alice.Address, TestParty.ResponderAddress, await bob.BundleAsync(true, true), alice.Random);
        result.Dispose();
        Assert.True(result.Secrets.RootKey.IsDisposed);
        Assert.True(result.Secrets.InitiatorHeaderKey.IsDisposed);
        Assert.True(result.Secrets.ResponderNextHeaderKey.IsDisposed);
        Assert.True(result.Secrets.SessionBinding.IsDisposed);
        Assert.True(result.Secrets.AssociatedData.IsDisposed);
    }

    [Fact]
    public void ContentEquals_SameKeyMaterialOtherIdentities_OnlyAssociatedDataDiffersAndIsCompared()
    {
        byte[] ikm = [.. Enumerable.Range(0, 160).Select(i => (byte)i)];
        IdentityKey a = IdentityKeyPair.Generate(TestRandom.FromSeed(408)).PublicKey;
        IdentityKey b = IdentityKeyPair.Generate(TestRandom.FromSeed(409)).PublicKey;
        IdentityKey c = IdentityKeyPair.Generate(TestRandom.FromSeed(410)).PublicKey;
        var from = new ProtocolAddress("alice", 1);
        ProtocolAddress to = TestParty.ResponderAddress;
        using HandshakeSecrets first = HandshakeSecrets.Derive(ikm, a, b, from, to, null);
        using HandshakeSecrets same = HandshakeSecrets.Derive(ikm, a, b, from, to, null);
        using HandshakeSecrets otherIdentity = HandshakeSecrets.Derive(ikm, a, c, from, to, null);

        Assert.True(first.ContentEquals(same));
        Assert.True(first.RootKey.ContentEquals(otherIdentity.RootKey));
        Assert.True(first.SessionBinding.ContentEquals(otherIdentity.SessionBinding));
        Assert.False(first.ContentEquals(otherIdentity));
    }
}
