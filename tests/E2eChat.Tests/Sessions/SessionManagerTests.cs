using System.Text;
using E2eChat.Handshake;
using E2eChat.Ratchet;
using E2eChat.Relay;
using E2eChat.Wire;
using Google.Protobuf;

namespace E2eChat.Tests.Sessions;

public sealed partial class SessionManagerTests
{
    private static byte[] Text(string s) => Encoding.UTF8.GetBytes(s);

    private static async Task<(SessionParty Alice, SessionParty Bob)> ConnectedAsync()
    {
        SessionParty alice = await SessionParty.CreateAsync("alice");
        SessionParty bob = await SessionParty.CreateAsync("acme-shoes");
        await alice.Manager.StartSessionAsync(bob.Address, await bob.Generator.CreateBundleAsync());
        return (alice, bob);
    }

    [Fact]
    public async Task EncryptAsync_FirstMessages_ArePreKeyUntilAnswered()
    {
        (SessionParty alice, SessionParty bob) = await ConnectedAsync();
        CiphertextMessage first = await alice.Manager.EncryptAsync(bob.Address, Text("hi"));
        CiphertextMessage second = await alice.Manager.EncryptAsync(bob.Address, Text("anyone?"));
        Assert.Equal(EnvelopeType.PreKey, first.Type);
        Assert.Equal(EnvelopeType.PreKey, second.Type);

        // Delivered out of order: the second creates the session, the first finds it by base key.
        Assert.Equal("anyone?", Encoding.UTF8.GetString(await bob.Manager.DecryptAsync(alice.Address, second)));
        Assert.Equal("hi", Encoding.UTF8.GetString(await bob.Manager.DecryptAsync(alice.Address, first)));

        CiphertextMessage reply = await bob.Manager.EncryptAsync(alice.Address, Text("hello, how can we help?"));
        Assert.Equal(EnvelopeType.Ratchet, reply.Type);
        Assert.Equal("hello, how can we help?", Encoding.UTF8.GetString(await alice.Manager.DecryptAsync(bob.Address, reply)));

        CiphertextMessage third = await alice.Manager.EncryptAsync(bob.Address, Text("my order"));
        Assert.Equal(EnvelopeType.Ratchet, third.Type);
        Assert.Equal("my order", Encoding.UTF8.GetString(await bob.Manager.DecryptAsync(alice.Address, third)));
    }

    [Fact]
    public async Task TryDecryptAsync_ReplayedPreKeyMessage_IsDuplicateAndConsumesNothingTwice()
    {
        (SessionParty alice, SessionParty bob) = await ConnectedAsync();
        CiphertextMessage first = await alice.Manager.EncryptAsync(bob.Address, Text("hi"));
        Assert.True((await bob.Manager.TryDecryptAsync(alice.Address, first)).IsSuccess);

        DecryptResult again = await bob.Manager.TryDecryptAsync(alice.Address, first);
        Assert.False(again.IsSuccess);
        Assert.Equal(E2eChatFailure.Duplicate, again.Failure);

        // Even without the session (a fresh device state), the consumed one-time pre-key refuses it.
        await bob.Stores.Sessions.DeleteSessionAsync(alice.Address);
        bob.Restart();
        DecryptResult replay = await bob.Manager.TryDecryptAsync(alice.Address, first);
        Assert.Equal(E2eChatFailure.UnknownOneTimePreKey, replay.Failure);
    }

    [Fact]
    public async Task TryDecryptAsync_TamperedMessage_LeavesStoredStateUnchanged()
    {
        (SessionParty alice, SessionParty bob) = await ConnectedAsync();
        Assert.True((await bob.Manager.TryDecryptAsync(alice.Address, await alice.Manager.EncryptAsync(bob.Address, Text("a")))).IsSuccess);
        CiphertextMessage reply = await bob.Manager.EncryptAsync(alice.Address, Text("b"));
        CiphertextMessage genuine = await bob.Manager.EncryptAsync(alice.Address, Text("c"));
        byte[] before = (await alice.StoredRecordAsync(bob.Address))!;

        byte[] body = reply.Body.ToArray();
        for (int i = 0; i < body.Length; i++)
        {
            body[i] ^= 0x01;
            DecryptResult result = await alice.Manager.TryDecryptAsync(bob.Address, new CiphertextMessage(EnvelopeType.Ratchet, body));
            Assert.False(result.IsSuccess);
            body[i] ^= 0x01;
        }

        Assert.Equal(before, await alice.StoredRecordAsync(bob.Address));
        alice.Restart();
        Assert.Equal("c", Encoding.UTF8.GetString(await alice.Manager.DecryptAsync(bob.Address, genuine)));
        Assert.Equal("b", Encoding.UTF8.GetString(await alice.Manager.DecryptAsync(bob.Address, reply)));
    }

    [Fact]
    public async Task TryDecryptAsync_TamperedPreKeyMessage_WritesNoStore()
    {
        (SessionParty alice, SessionParty bob) = await ConnectedAsync();
        CiphertextMessage first = await alice.Manager.EncryptAsync(bob.Address, Text("hi"));
        byte[] body = first.Body.ToArray();
        int oneTimeBefore = ((InMemoryOneTimePreKeyStore)bob.Stores.OneTimePreKeys).Count;
        for (int i = 0; i < body.Length; i += 7)
        {
            body[i] ^= 0x80;
            DecryptResult result = await bob.Manager.TryDecryptAsync(alice.Address, new CiphertextMessage(EnvelopeType.PreKey, body));
            Assert.False(result.IsSuccess);
            body[i] ^= 0x80;
        }

        Assert.Equal(0, bob.SessionStore.Count);
        Assert.Equal(oneTimeBefore, ((InMemoryOneTimePreKeyStore)bob.Stores.OneTimePreKeys).Count);
        Assert.Null(await bob.Stores.Identities.GetIdentityAsync(alice.Address));
        Assert.Equal("hi", Encoding.UTF8.GetString(await bob.Manager.DecryptAsync(alice.Address, first)));
    }

    [Fact]
    public async Task StartSessionAsync_ChangedIdentity_IsUntrustedUntilApproved()
    {
        (SessionParty alice, SessionParty bob) = await ConnectedAsync();
        using SessionParty impostor = await SessionParty.CreateAsync("impostor");
        PreKeyBundle forged = await impostor.Generator.CreateBundleAsync();

        var error = await Assert.ThrowsAsync<E2eChatException>(async () => await alice.Manager.StartSessionAsync(bob.Address, forged));
        Assert.True(error.Failure == E2eChatFailure.UntrustedIdentity);

        await alice.Stores.Identities.ApproveIdentityAsync(bob.Address, forged.IdentityKey);
        await alice.Manager.StartSessionAsync(bob.Address, forged);
    }

    [Fact]
    public async Task EncryptAsync_NoSession_ThrowsTypedFailure()
    {
        using SessionParty alice = await SessionParty.CreateAsync("alice");
        var error = await Assert.ThrowsAsync<E2eChatException>(async () => await alice.Manager.EncryptAsync(new ProtocolAddress("nobody", 1), Text("x")));
        Assert.True(error.Failure == E2eChatFailure.NoSession);
        DecryptResult result = await alice.Manager.TryDecryptAsync(new ProtocolAddress("nobody", 1), new CiphertextMessage(EnvelopeType.Ratchet, new byte[10]));
        Assert.False(result.IsSuccess);
    }

    [Fact]
    public async Task Manager_Restart_ContinuesFromStoredState()
    {
        (SessionParty alice, SessionParty bob) = await ConnectedAsync();
        await bob.Manager.DecryptAsync(alice.Address, await alice.Manager.EncryptAsync(bob.Address, Text("one")));
        alice.Restart();
        bob.Restart();
        CiphertextMessage reply = await bob.Manager.EncryptAsync(alice.Address, Text("two"));
        Assert.Equal("two", Encoding.UTF8.GetString(await alice.Manager.DecryptAsync(bob.Address, reply)));
        bob.Restart();
        Assert.Equal("three", Encoding.UTF8.GetString(await bob.Manager.DecryptAsync(alice.Address, await alice.Manager.EncryptAsync(bob.Address, Text("three")))));
    }

    [Fact]
    public async Task EncryptAsync_ConcurrentCalls_LoseNoUpdate()
    {
        (SessionParty alice, SessionParty bob) = await ConnectedAsync();
        await bob.Manager.DecryptAsync(alice.Address, await alice.Manager.EncryptAsync(bob.Address, Text("start")));
        await alice.Manager.DecryptAsync(bob.Address, await bob.Manager.EncryptAsync(alice.Address, Text("ack")));

        const int Count = 64;
        Task<CiphertextMessage>[] sends = Enumerable.Range(0, Count)
            .Select(i => Task.Run(async () => await alice.Manager.EncryptAsync(bob.Address, Text($"m{i}"))))
            .ToArray();
        Task<CiphertextMessage>[] replies = Enumerable.Range(0, Count)
            .Select(i => Task.Run(async () => await bob.Manager.EncryptAsync(alice.Address, Text($"r{i}"))))
            .ToArray();
        CiphertextMessage[] sent = await Task.WhenAll(sends);
        CiphertextMessage[] replied = await Task.WhenAll(replies);

        // Decrypt both directions concurrently too.
        Task<byte[]>[] atBob = sent.Select(m => Task.Run(async () => await bob.Manager.DecryptAsync(alice.Address, m))).ToArray();
        Task<byte[]>[] atAlice = replied.Select(m => Task.Run(async () => await alice.Manager.DecryptAsync(bob.Address, m))).ToArray();
        string[] bobGot = (await Task.WhenAll(atBob)).Select(Encoding.UTF8.GetString).ToArray();
        string[] aliceGot = (await Task.WhenAll(atAlice)).Select(Encoding.UTF8.GetString).ToArray();

        Assert.Equal(Enumerable.Range(0, Count).Select(i => $"m{i}").Order(), bobGot.Order());
        Assert.Equal(Enumerable.Range(0, Count).Select(i => $"r{i}").Order(), aliceGot.Order());

        // And the stored state is the final one: a restart loses nothing.
        alice.Restart();
        bob.Restart();
        Assert.Equal("after", Encoding.UTF8.GetString(await bob.Manager.DecryptAsync(alice.Address, await alice.Manager.EncryptAsync(bob.Address, Text("after")))));
    }

    [Fact]
    public async Task SimultaneousInitiation_BothSides_ConvergeOnOneSession()
    {
        using SessionParty alice = await SessionParty.CreateAsync("alice");
        using SessionParty bob = await SessionParty.CreateAsync("bob");
        await alice.Manager.StartSessionAsync(bob.Address, await bob.Generator.CreateBundleAsync());
        await bob.Manager.StartSessionAsync(alice.Address, await alice.Generator.CreateBundleAsync());

        CiphertextMessage fromAlice = await alice.Manager.EncryptAsync(bob.Address, Text("a1"));
        CiphertextMessage fromBob = await bob.Manager.EncryptAsync(alice.Address, Text("b1"));
        Assert.Equal("a1", Encoding.UTF8.GetString(await bob.Manager.DecryptAsync(alice.Address, fromAlice)));
        Assert.Equal("b1", Encoding.UTF8.GetString(await alice.Manager.DecryptAsync(bob.Address, fromBob)));

        for (int round = 0; round < 3; round++)
        {
            CiphertextMessage a = await alice.Manager.EncryptAsync(bob.Address, Text($"a{round + 2}"));
            Assert.Equal($"a{round + 2}", Encoding.UTF8.GetString(await bob.Manager.DecryptAsync(alice.Address, a)));
            CiphertextMessage b = await bob.Manager.EncryptAsync(alice.Address, Text($"b{round + 2}"));
            Assert.Equal($"b{round + 2}", Encoding.UTF8.GetString(await alice.Manager.DecryptAsync(bob.Address, b)));
            Assert.Equal(EnvelopeType.Ratchet, a.Type);
            Assert.Equal(EnvelopeType.Ratchet, b.Type);
        }

        // Both current states belong to the same handshake.
        using SessionRecord aliceRecord = Load(await alice.StoredRecordAsync(bob.Address));
        using SessionRecord bobRecord = Load(await bob.StoredRecordAsync(alice.Address));
        Assert.True(aliceRecord.Current!.BaseKey.SequenceEqual(bobRecord.Current!.BaseKey));
    }

    [Fact]
    public async Task Envelopes_FromManager_PassTheRelayValidator()
    {
        (SessionParty alice, SessionParty bob) = await ConnectedAsync();
        var messages = new List<CiphertextMessage>
        {
            await alice.Manager.EncryptAsync(bob.Address, Text("hello")),
        };
        await bob.Manager.DecryptAsync(alice.Address, messages[0]);
        messages.Add(await bob.Manager.EncryptAsync(alice.Address, new byte[5000]));
        foreach (CiphertextMessage message in messages)
        {
            byte[] encoded = EnvelopeCodec.Encode(new Envelope(alice.Address, AccountKind.Person, bob.Address, AccountKind.Business, new byte[16].Select((_, i) => (byte)(i + 1)).ToArray(), 1_700_000_000_000, message));
            Assert.Equal(EnvelopeFailure.None, EnvelopeValidator.Validate(encoded));
            Assert.True(EnvelopeCodec.TryDecode(encoded, out Envelope? decoded, out _));
            Assert.Equal(message.Body.ToArray(), decoded!.Message.Body.ToArray());
        }
    }

    [Fact]
    public async Task TryDecryptAsync_NonCanonicalRatchetBody_IsMalformedAndChangesNothing()
    {
        (SessionParty alice, SessionParty bob) = await ConnectedAsync();
        await bob.Manager.DecryptAsync(alice.Address, await alice.Manager.EncryptAsync(bob.Address, Text("a")));
        CiphertextMessage reply = await bob.Manager.EncryptAsync(alice.Address, Text("b"));
        E2eChat.Wire.Proto.RatchetMessage parsed = E2eChat.Wire.Proto.RatchetMessage.Parser.ParseFrom(reply.Body.Span);
        byte[] before = (await alice.StoredRecordAsync(bob.Address))!;

        // Ciphertext before header: a protobuf parser accepts it, the relay's rules do not, and neither does the client.
        byte[] reversed = [.. new E2eChat.Wire.Proto.RatchetMessage { Ciphertext = parsed.Ciphertext }.ToByteArray(), .. new E2eChat.Wire.Proto.RatchetMessage { Header = parsed.Header }.ToByteArray()];
        Assert.Equal(parsed, E2eChat.Wire.Proto.RatchetMessage.Parser.ParseFrom(reversed));
        DecryptResult result = await alice.Manager.TryDecryptAsync(bob.Address, new CiphertextMessage(EnvelopeType.Ratchet, reversed));
        Assert.Equal(E2eChatFailure.Malformed, result.Failure);
        Assert.Equal(before, await alice.StoredRecordAsync(bob.Address));
        Assert.Equal("b", Encoding.UTF8.GetString(await alice.Manager.DecryptAsync(bob.Address, reply)));
    }

    private static SessionRecord Load(byte[]? bytes)
    {
        Assert.NotNull(bytes);
        Assert.True(SessionRecord.TryDeserialize(bytes, out SessionRecord? record, out _));
        return record!;
    }
}
