using System.Text;
using E2eChat.Handshake;
using E2eChat.Ratchet;

namespace E2eChat.Tests.Sessions;

/// <summary>One one-time pre-key serves exactly one handshake, whatever the interleaving.</summary>
public sealed partial class SessionManagerTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TryDecryptAsync_InitiatorsRacingOnOneBundle_ExactlyOneHandshakeWins(bool oneManagerPerInitiator)
    {
        using SessionParty bob = await SessionParty.CreateAsync("acme-shoes");
        PreKeyBundle bundle = await bob.Generator.CreateBundleAsync();
        Assert.True(bundle.HasOneTimePreKey);
        var before = bob.Counts();

        const int Initiators = 6;
        SessionParty[] customers = await Task.WhenAll(Enumerable.Range(0, Initiators).Select(i => SessionParty.CreateAsync($"customer-{i}")));
        var firstMessages = new CiphertextMessage[Initiators];
        for (int i = 0; i < Initiators; i++)
        {
            await customers[i].Manager.StartSessionAsync(bob.Address, bundle);
            firstMessages[i] = await customers[i].Manager.EncryptAsync(bob.Address, Text($"hello from {i}"));
        }

        var shared = new YieldingStores(bob.Stores);
        SessionManager[] managers = [.. Enumerable.Range(0, oneManagerPerInitiator ? Initiators : 1).Select(_ => new SessionManager(shared.Stores, bob.Address))];
        try
        {
            DecryptResult[] results = await Task.WhenAll(Enumerable.Range(0, Initiators).Select(i => Task.Run(async () =>
                await managers[i % managers.Length].TryDecryptAsync(customers[i].Address, firstMessages[i]))));

            int winner = Array.FindIndex(results, r => r.IsSuccess);
            Assert.Single(results, r => r.IsSuccess);
            Assert.Equal($"hello from {winner}", Encoding.UTF8.GetString(results[winner].Plaintext!));
            // The losers find a one-time key gone: at look-up, or when their own removal comes second.
            Assert.All(results.Where(r => !r.IsSuccess), r => Assert.True(
                r.Failure is E2eChatFailure.UnknownOneTimePreKey or E2eChatFailure.UnknownKemPreKey, r.ToString()));

            // One session, one recorded identity, and both one-time keys of the bundle consumed once.
            var after = bob.Counts();
            Assert.Equal((1, before.OneTimePreKeys - 1, before.KemPreKeys - 1, 1), after);
            Assert.Null(await bob.Stores.OneTimePreKeys.GetOneTimePreKeyAsync(bundle.OneTimePreKeyId));
            Assert.Null(await bob.Stores.KemPreKeys.GetKemPreKeyAsync(bundle.KemPreKeyId));
            for (int i = 0; i < Initiators; i++)
            {
                Assert.Equal(i == winner, await bob.Stores.Identities.GetIdentityAsync(customers[i].Address) is not null);
            }
        }
        finally
        {
            foreach (SessionManager manager in managers)
            {
                manager.Dispose();
            }

            foreach (SessionParty customer in customers)
            {
                customer.Dispose();
            }
        }
    }

    [Fact]
    public async Task TryDecryptAsync_OneFirstMessageConcurrentlyUnderManySenderAddresses_OnlyTheSendersAddressSucceeds()
    {
        (SessionParty alice, SessionParty bob) = await ConnectedAsync();
        CiphertextMessage first = await alice.Manager.EncryptAsync(bob.Address, Text("hi"));
        ProtocolAddress[] senders =
        [
            new("mallory", 1), new("alice", 2), new("alice", 3), alice.Address, new("carol", 1), new("bob", 1), new("alice.1", 1), new("mallory", 2),
        ];

        var shared = new YieldingStores(bob.Stores);
        using var manager = new SessionManager(shared.Stores, bob.Address);
        DecryptResult[] results = await Task.WhenAll(senders.Select(sender => Task.Run(async () => await manager.TryDecryptAsync(sender, first))));

        for (int i = 0; i < senders.Length; i++)
        {
            if (senders[i] == alice.Address)
            {
                Assert.True(results[i].IsSuccess, results[i].ToString());
            }
            else
            {
                // Refused by the address binding, or earlier by the one-time pre-key the genuine copy consumed.
                Assert.True(results[i].Failure is E2eChatFailure.InvalidHeader or E2eChatFailure.UnknownOneTimePreKey or E2eChatFailure.UnknownKemPreKey, results[i].ToString());
                Assert.Null(await bob.Stores.Identities.GetIdentityAsync(senders[i]));
                Assert.Null(await bob.StoredRecordAsync(senders[i]));
            }
        }

        Assert.Equal(1, bob.SessionStore.Count);
    }

    [Fact]
    public async Task TryDecryptAsync_SameFirstMessageConcurrentlyAtManyManagers_AcceptedOnce()
    {
        (SessionParty alice, SessionParty bob) = await ConnectedAsync();
        CiphertextMessage first = await alice.Manager.EncryptAsync(bob.Address, Text("hi"));
        var before = bob.Counts();
        var shared = new YieldingStores(bob.Stores);
        SessionManager[] workers = [.. Enumerable.Range(0, 4).Select(_ => new SessionManager(shared.Stores, bob.Address))];
        try
        {
            DecryptResult[] results = await Task.WhenAll(workers.Select(w => Task.Run(async () => await w.TryDecryptAsync(alice.Address, first))));
            Assert.Single(results, r => r.IsSuccess);
            Assert.All(results.Where(r => !r.IsSuccess), r => Assert.True(
                r.Failure is E2eChatFailure.UnknownOneTimePreKey or E2eChatFailure.UnknownKemPreKey or E2eChatFailure.Duplicate, r.ToString()));
            Assert.Equal((1, before.OneTimePreKeys - 1, before.KemPreKeys - 1, 1), bob.Counts());
        }
        finally
        {
            foreach (SessionManager worker in workers)
            {
                worker.Dispose();
            }
        }
    }

    [Fact]
    public async Task TryDecryptAsync_LastResortKeysOnly_ConcurrentInitiatorsAllSucceed()
    {
        using SessionParty bob = await SessionParty.CreateAsync("acme-shoes", oneTimeKeys: 0);
        PreKeyBundle bundle = await bob.Generator.CreateBundleAsync();
        Assert.False(bundle.HasOneTimePreKey);
        SessionParty[] customers = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => SessionParty.CreateAsync($"customer-{i}")));
        try
        {
            var messages = new CiphertextMessage[customers.Length];
            for (int i = 0; i < customers.Length; i++)
            {
                await customers[i].Manager.StartSessionAsync(bob.Address, bundle);
                messages[i] = await customers[i].Manager.EncryptAsync(bob.Address, Text($"m{i}"));
            }

            var shared = new YieldingStores(bob.Stores);
            using var manager = new SessionManager(shared.Stores, bob.Address);
            DecryptResult[] results = await Task.WhenAll(customers.Select((c, i) => Task.Run(async () => await manager.TryDecryptAsync(c.Address, messages[i]))));
            Assert.All(results, r => Assert.True(r.IsSuccess, r.ToString()));
            Assert.Equal(customers.Length, bob.SessionStore.Count);
        }
        finally
        {
            foreach (SessionParty customer in customers)
            {
                customer.Dispose();
            }
        }
    }

    [Fact]
    public async Task TryDecryptAsync_WithACommitter_CommitsThroughItAfterAChangedSession()
    {
        (SessionParty alice, SessionParty bob) = await ConnectedAsync();
        CiphertextMessage first = await alice.Manager.EncryptAsync(bob.Address, Text("hi"));
        var before = bob.Counts();
        using var committer = new AtomicTestCommitter(bob.Stores) { ReportSessionChanged = 2 };
        var stores = new ProtocolStores(bob.Stores.Identities, bob.Stores.Sessions, bob.Stores.SignedPreKeys, bob.Stores.OneTimePreKeys, bob.Stores.KemPreKeys, committer);
        using var manager = new SessionManager(stores, bob.Address);

        Assert.Equal("hi", Encoding.UTF8.GetString(await manager.DecryptAsync(alice.Address, first)));
        Assert.Equal(3, committer.Calls);
        Assert.Equal((1, before.OneTimePreKeys - 1, before.KemPreKeys - 1, 1), bob.Counts());

        // The manager does not know the version the committer wrote: it reloads, and the session works.
        Assert.Equal(E2eChatFailure.Duplicate, (await manager.TryDecryptAsync(alice.Address, first)).Failure);
        CiphertextMessage reply = await manager.EncryptAsync(alice.Address, Text("hello"));
        Assert.Equal("hello", Encoding.UTF8.GetString(await alice.Manager.DecryptAsync(bob.Address, reply)));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TryDecryptAsync_KeyTakenBetweenLookUpAndCommit_UnknownOneTimePreKeyNothingStored(bool withCommitter)
    {
        (SessionParty alice, SessionParty bob) = await ConnectedAsync();
        CiphertextMessage first = await alice.Manager.EncryptAsync(bob.Address, Text("hi"));
        using AtomicTestCommitter? committer = withCommitter ? new AtomicTestCommitter(bob.Stores) : null;

        // Another handshake takes the one-time pre-key between this one's look-up and its commit.
        var racing = new RacingRemovalStore(bob.Stores.OneTimePreKeys, PreKeyMessageFields.Read(first).OneTimePreKeyId);
        var stores = new ProtocolStores(bob.Stores.Identities, bob.Stores.Sessions, bob.Stores.SignedPreKeys, racing, bob.Stores.KemPreKeys, committer);
        using var manager = new SessionManager(stores, bob.Address);
        var before = bob.Counts();

        DecryptResult result = await manager.TryDecryptAsync(alice.Address, first);
        Assert.Equal(E2eChatFailure.UnknownOneTimePreKey, result.Failure);
        Assert.Equal(withCommitter ? 1 : 0, committer?.Calls ?? 0);

        // The one-time pre-key is gone (the other handshake has it); nothing else was written.
        Assert.Equal((0, before.OneTimePreKeys - 1, before.KemPreKeys, 0), bob.Counts());
    }

    [Fact]
    public async Task TryDecryptAsync_CrashBeforeTheSessionIsStored_KeyConsumedMessageNeverAcceptedTwice()
    {
        (SessionParty alice, SessionParty bob) = await ConnectedAsync();
        CiphertextMessage first = await alice.Manager.EncryptAsync(bob.Address, Text("hi"));
        var before = bob.Counts();
        var crashing = new YieldingStores(bob.Stores) { FailSessionWrites = true };
        using (var manager = new SessionManager(crashing.Stores, bob.Address))
        {
            await Assert.ThrowsAsync<IOException>(async () => await manager.TryDecryptAsync(alice.Address, first));
        }

        // Store by store (PROTOCOL.md 10.2): the keys and the identity were written, the session was not.
        Assert.Equal((0, before.OneTimePreKeys - 1, before.KemPreKeys - 1, 1), bob.Counts());

        // After the restart the first message is lost, never accepted a second time.
        bob.Restart();
        Assert.Equal(E2eChatFailure.UnknownOneTimePreKey, (await bob.Manager.TryDecryptAsync(alice.Address, first)).Failure);
        Assert.Equal(0, bob.SessionStore.Count);
    }

    /// <summary>The pre-key ids of a first message.</summary>
    private readonly record struct PreKeyMessageFields(uint OneTimePreKeyId, uint KemPreKeyId)
    {
        internal static PreKeyMessageFields Read(CiphertextMessage message)
        {
            E2eChat.Wire.Proto.PreKeyMessage parsed = E2eChat.Wire.Proto.PreKeyMessage.Parser.ParseFrom(message.Body.Span);
            return new PreKeyMessageFields(parsed.OneTimePrekeyId, parsed.KemPrekeyId);
        }
    }

    /// <summary>A one-time pre-key store whose key is removed by "another handshake" right after it is looked up.</summary>
    private sealed class RacingRemovalStore(IOneTimePreKeyStore inner, uint id) : IOneTimePreKeyStore
    {
        public async ValueTask<OneTimePreKey?> GetOneTimePreKeyAsync(uint keyId, CancellationToken cancellationToken = default)
        {
            OneTimePreKey? key = await inner.GetOneTimePreKeyAsync(keyId, cancellationToken);
            if (keyId == id)
            {
                Assert.True(await inner.RemoveOneTimePreKeyAsync(keyId, cancellationToken));
            }

            return key;
        }

        public ValueTask SaveOneTimePreKeyAsync(OneTimePreKey key, CancellationToken cancellationToken = default) => inner.SaveOneTimePreKeyAsync(key, cancellationToken);

        public ValueTask<bool> RemoveOneTimePreKeyAsync(uint keyId, CancellationToken cancellationToken = default) => inner.RemoveOneTimePreKeyAsync(keyId, cancellationToken);
    }
}
