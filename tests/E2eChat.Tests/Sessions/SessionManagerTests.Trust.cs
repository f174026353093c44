using System.Text;
using E2eChat.Handshake;

namespace E2eChat.Tests.Sessions;

/// <summary>Trust is checked on every use of a session; unreadable records have a typed way out.</summary>
public sealed partial class SessionManagerTests
{
    [Fact]
    public async Task EncryptAsync_AfterANewIdentityIsApproved_UntrustedIdentityUntilANewSession()
    {
        (SessionParty alice, SessionParty bob) = await AcknowledgedAsync();

        // Bob reinstalls: same address, new identity; Alice's app approves it.
        using SessionParty newBob = await SessionParty.CreateAsync(bob.Address.Name, bob.Address.DeviceId);
        PreKeyBundle newBundle = await newBob.Generator.CreateBundleAsync();
        await alice.Stores.Identities.ApproveIdentityAsync(bob.Address, newBundle.IdentityKey);
        byte[] before = (await alice.StoredRecordAsync(bob.Address))!;

        var error = await Assert.ThrowsAsync<E2eChatException>(async () => await alice.Manager.EncryptAsync(bob.Address, Text("to the old identity")));
        Assert.True(error.Failure == E2eChatFailure.UntrustedIdentity);
        Assert.Equal(before, await alice.StoredRecordAsync(bob.Address));
        var tooLong = await Assert.ThrowsAsync<E2eChatException>(async () => await alice.Manager.EncryptAsync(bob.Address, new byte[ProtocolLimits.MaxPlaintextLength + 1]));
        Assert.True(tooLong.Failure == E2eChatFailure.UntrustedIdentity); // PROTOCOL.md 8.1: trust is checked before 5.4's failures

        // A session with the new identity replaces the old one as current, and encrypting works again.
        await alice.Manager.StartSessionAsync(bob.Address, newBundle);
        CiphertextMessage message = await alice.Manager.EncryptAsync(bob.Address, Text("to the new identity"));
        Assert.Equal("to the new identity", Encoding.UTF8.GetString(await newBob.Manager.DecryptAsync(alice.Address, message)));
    }

    [Fact]
    public async Task TryDecryptAsync_MessageInASessionWithTheOldIdentity_UntrustedIdentityNothingChanged()
    {
        (SessionParty alice, SessionParty bob) = await AcknowledgedAsync();
        CiphertextMessage late = await bob.Manager.EncryptAsync(alice.Address, Text("sent before the change"));
        using SessionParty newBob = await SessionParty.CreateAsync(bob.Address.Name, bob.Address.DeviceId);
        IdentityKey newIdentity = (await newBob.Stores.Identities.GetIdentityKeyPairAsync()).PublicKey;
        IdentityKey oldIdentity = (await bob.Stores.Identities.GetIdentityKeyPairAsync()).PublicKey;
        await alice.Stores.Identities.ApproveIdentityAsync(bob.Address, newIdentity);
        byte[] before = (await alice.StoredRecordAsync(bob.Address))!;

        DecryptResult refused = await alice.Manager.TryDecryptAsync(bob.Address, late);
        Assert.Equal(E2eChatFailure.UntrustedIdentity, refused.Failure);
        Assert.Equal(before, await alice.StoredRecordAsync(bob.Address));

        // Approving the old identity again makes the old session usable again: nothing was lost.
        await alice.Stores.Identities.ApproveIdentityAsync(bob.Address, oldIdentity);
        Assert.Equal("sent before the change", Encoding.UTF8.GetString(await alice.Manager.DecryptAsync(bob.Address, late)));
        CiphertextMessage next = await alice.Manager.EncryptAsync(bob.Address, Text("still you"));
        Assert.Equal("still you", Encoding.UTF8.GetString(await bob.Manager.DecryptAsync(alice.Address, next)));
    }

    [Fact]
    public async Task TryDecryptAsync_ResponderAfterApprovingTheInitiatorsNewIdentity_RefusesTheOldSession()
    {
        (SessionParty alice, SessionParty bob) = await AcknowledgedAsync();
        CiphertextMessage late = await alice.Manager.EncryptAsync(bob.Address, Text("old session"));
        using SessionParty newAlice = await SessionParty.CreateAsync(alice.Address.Name, alice.Address.DeviceId);
        await bob.Stores.Identities.ApproveIdentityAsync(alice.Address, (await newAlice.Stores.Identities.GetIdentityKeyPairAsync()).PublicKey);

        Assert.Equal(E2eChatFailure.UntrustedIdentity, (await bob.Manager.TryDecryptAsync(alice.Address, late)).Failure);
        var error = await Assert.ThrowsAsync<E2eChatException>(async () => await bob.Manager.EncryptAsync(alice.Address, Text("x")));
        Assert.True(error.Failure == E2eChatFailure.UntrustedIdentity);

        // The new identity's first message starts the session that replaces it.
        await newAlice.Manager.StartSessionAsync(bob.Address, await bob.Generator.CreateBundleAsync());
        Assert.Equal("new", Encoding.UTF8.GetString(await bob.Manager.DecryptAsync(alice.Address, await newAlice.Manager.EncryptAsync(bob.Address, Text("new")))));
        Assert.Equal("reply", Encoding.UTF8.GetString(await newAlice.Manager.DecryptAsync(bob.Address, await bob.Manager.EncryptAsync(alice.Address, Text("reply")))));
    }

    [Theory]
    [InlineData(new byte[] { 0x08, 0x01, 0x12, 0x05 }, E2eChatFailure.Truncated)]
    [InlineData(new byte[] { 0x08, 0x01, 0x12, 0x01, 0xFF }, E2eChatFailure.Corrupt)]
    [InlineData(new byte[] { 0x08, 0x00, 0x12, 0x00 }, E2eChatFailure.OldVersion)]
    public async Task StartSessionAsync_UnreadableRecord_ReplacesIt(byte[] unreadable, E2eChatFailure expected)
    {
        (SessionParty alice, SessionParty bob) = await AcknowledgedAsync();
        VersionedRecord current = await alice.Stores.Sessions.LoadSessionAsync(bob.Address);
        Assert.NotEqual(0, await alice.Stores.Sessions.TryStoreSessionAsync(bob.Address, unreadable, current.Version));

        // Every operation reports the record's failure; nothing is written.
        var error = await Assert.ThrowsAsync<E2eChatException>(async () => await alice.Manager.EncryptAsync(bob.Address, Text("x")));
        Assert.True(error.Failure == expected);
        CiphertextMessage incoming = await bob.Manager.EncryptAsync(alice.Address, Text("y"));
        Assert.Equal(expected, (await alice.Manager.TryDecryptAsync(bob.Address, incoming)).Failure);
        Assert.False(await alice.Manager.HasSessionAsync(bob.Address));
        Assert.Equal(unreadable, await alice.StoredRecordAsync(bob.Address));

        // Starting a new session is the way out: it replaces the unreadable record.
        await alice.Manager.StartSessionAsync(bob.Address, await bob.Generator.CreateBundleAsync());
        CiphertextMessage first = await alice.Manager.EncryptAsync(bob.Address, Text("fresh start"));
        Assert.Equal("fresh start", Encoding.UTF8.GetString(await bob.Manager.DecryptAsync(alice.Address, first)));
    }

    [Fact]
    public async Task StartSessionAsync_RecordOfANewerFormat_KeepsItAndThrowsUnknownVersion()
    {
        (SessionParty alice, SessionParty bob) = await AcknowledgedAsync();
        byte[] newer = [0x08, 0x02, 0x12, 0x00];
        VersionedRecord current = await alice.Stores.Sessions.LoadSessionAsync(bob.Address);
        Assert.NotEqual(0, await alice.Stores.Sessions.TryStoreSessionAsync(bob.Address, newer, current.Version));

        var error = await Assert.ThrowsAsync<E2eChatException>(async () => await alice.Manager.StartSessionAsync(bob.Address, await bob.Generator.CreateBundleAsync()));
        Assert.True(error.Failure == E2eChatFailure.UnknownVersion);
        Assert.Equal(newer, await alice.StoredRecordAsync(bob.Address));
    }
}
