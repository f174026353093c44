using System.Text;
using E2eChat.Ratchet;
using E2eChat.Relay;
using E2eChat.Wire;

namespace E2eChat.Tests.Sessions;

/// <summary>Both addresses are authenticated: a re-addressed first message fails with nothing stored.</summary>
public sealed partial class SessionManagerTests
{
    [Theory]
    [InlineData("mallory", 1u)]
    [InlineData("alice", 2u)]
    [InlineData("carol", 1u)]
    public async Task TryDecryptAsync_FirstMessageUnderAnotherSender_InvalidHeaderNothingStored(string name, uint device)
    {
        (SessionParty alice, SessionParty bob) = await ConnectedAsync();
        CiphertextMessage first = await alice.Manager.EncryptAsync(bob.Address, Text("hi"));
        var relabelled = new ProtocolAddress(name, device);
        var before = bob.Counts();

        DecryptResult result = await bob.Manager.TryDecryptAsync(relabelled, first);
        Assert.Equal(E2eChatFailure.InvalidHeader, result.Failure);
        Assert.Equal(before, bob.Counts());
        Assert.Null(await bob.Stores.Identities.GetIdentityAsync(relabelled));

        // Alice's genuine copy is still accepted.
        Assert.Equal("hi", Encoding.UTF8.GetString(await bob.Manager.DecryptAsync(alice.Address, first)));
    }

    [Fact]
    public async Task TryDecryptAsync_FirstMessageDeliveredToAnotherDevice_InvalidHeaderNothingStored()
    {
        (SessionParty alice, SessionParty bob) = await ConnectedAsync();
        CiphertextMessage first = await alice.Manager.EncryptAsync(bob.Address, Text("hi"));
        var before = bob.Counts();

        // The same keys, but this manager is another device of Bob's.
        using var otherDevice = new SessionManager(bob.Stores, new ProtocolAddress(bob.Address.Name, bob.Address.DeviceId + 1));
        Assert.Equal(E2eChatFailure.InvalidHeader, (await otherDevice.TryDecryptAsync(alice.Address, first)).Failure);
        Assert.Equal(before, bob.Counts());
        Assert.Equal("hi", Encoding.UTF8.GetString(await bob.Manager.DecryptAsync(alice.Address, first)));
    }

    [Fact]
    public async Task TryDecryptAsync_OnePeersFirstMessageShownAsAnothers_BothPeersUnaffected()
    {
        using SessionParty bob = await SessionParty.CreateAsync("acme-shoes");
        using SessionParty alice = await SessionParty.CreateAsync("alice");
        using SessionParty carol = await SessionParty.CreateAsync("carol");
        await alice.Manager.StartSessionAsync(bob.Address, await bob.Generator.CreateBundleAsync());
        await carol.Manager.StartSessionAsync(bob.Address, await bob.Generator.CreateBundleAsync());
        CiphertextMessage fromAlice = await alice.Manager.EncryptAsync(bob.Address, Text("I am alice"));
        CiphertextMessage fromCarol = await carol.Manager.EncryptAsync(bob.Address, Text("I am carol"));

        // The relay swaps the senders: Bob must not record Alice's identity as Carol's, or the reverse.
        Assert.Equal(E2eChatFailure.InvalidHeader, (await bob.Manager.TryDecryptAsync(carol.Address, fromAlice)).Failure);
        Assert.Equal(E2eChatFailure.InvalidHeader, (await bob.Manager.TryDecryptAsync(alice.Address, fromCarol)).Failure);
        Assert.Equal((0, 0), (bob.SessionStore.Count, bob.Counts().Identities));

        Assert.Equal("I am alice", Encoding.UTF8.GetString(await bob.Manager.DecryptAsync(alice.Address, fromAlice)));
        Assert.Equal("I am carol", Encoding.UTF8.GetString(await bob.Manager.DecryptAsync(carol.Address, fromCarol)));
        Assert.Equal((await alice.Stores.Identities.GetIdentityKeyPairAsync()).PublicKey, await bob.Stores.Identities.GetIdentityAsync(alice.Address));
        Assert.Equal((await carol.Stores.Identities.GetIdentityKeyPairAsync()).PublicKey, await bob.Stores.Identities.GetIdentityAsync(carol.Address));
    }

    [Fact]
    public async Task TryDecryptAsync_RatchetMessageUnderAnotherSenderWithASession_RefusedNothingChanged()
    {
        (SessionParty alice, SessionParty bob) = await AcknowledgedAsync();
        using SessionParty carol = await SessionParty.CreateAsync("carol");
        await carol.Manager.StartSessionAsync(bob.Address, await bob.Generator.CreateBundleAsync());
        await bob.Manager.DecryptAsync(carol.Address, await carol.Manager.EncryptAsync(bob.Address, Text("carol here")));
        byte[] carolRecord = (await bob.StoredRecordAsync(carol.Address))!;

        CiphertextMessage fromAlice = await alice.Manager.EncryptAsync(bob.Address, Text("from alice"));
        Assert.Equal(E2eChatFailure.InvalidHeader, (await bob.Manager.TryDecryptAsync(carol.Address, fromAlice)).Failure);
        Assert.Equal(carolRecord, await bob.StoredRecordAsync(carol.Address));
        Assert.Equal("from alice", Encoding.UTF8.GetString(await bob.Manager.DecryptAsync(alice.Address, fromAlice)));
    }

    [Fact]
    public async Task TryDecryptAsync_EnvelopeForAnotherRecipient_WrongRecipientNothingRead()
    {
        (SessionParty alice, SessionParty bob) = await ConnectedAsync();
        CiphertextMessage first = await alice.Manager.EncryptAsync(bob.Address, Text("hi"));
        Envelope Wrap(ProtocolAddress recipient) =>
            new(alice.Address, AccountKind.Person, recipient, AccountKind.Business, new byte[Envelope.MessageIdLength], 1_767_225_600_000, first);
        var before = bob.Counts();

        Assert.Equal(E2eChatFailure.WrongRecipient, (await bob.Manager.TryDecryptAsync(Wrap(new ProtocolAddress(bob.Address.Name, 9)))).Failure);
        Assert.Equal(E2eChatFailure.WrongRecipient, (await bob.Manager.TryDecryptAsync(Wrap(alice.Address))).Failure);
        Assert.Equal(before, bob.Counts());

        Assert.True(EnvelopeCodec.TryDecode(EnvelopeCodec.Encode(Wrap(bob.Address)), out Envelope? received, out _));
        DecryptResult result = await bob.Manager.TryDecryptAsync(received);
        Assert.Equal("hi", Encoding.UTF8.GetString(result.Plaintext!));
    }

    [Fact]
    public void Constructor_InvalidLocalAddress_Throws()
    {
        var stores = ProtocolStores.CreateInMemory(E2eChat.IdentityKeyPair.Generate());
        Assert.Throws<ArgumentException>(() => { using var manager = new SessionManager(stores, default); });
    }
}
