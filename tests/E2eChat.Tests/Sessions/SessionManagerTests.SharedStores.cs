using System.Text;
using E2eChat.Ratchet;

namespace E2eChat.Tests.Sessions;

/// <summary>Several managers (workers, processes) over one store set: no chain state is used twice (issue: nonce reuse).</summary>
public sealed partial class SessionManagerTests
{
    /// <summary>A session both sides have used once, so that both can send ratchet messages.</summary>
    private static async Task<(SessionParty Alice, SessionParty Bob)> AcknowledgedAsync()
    {
        (SessionParty alice, SessionParty bob) = await ConnectedAsync();
        await bob.Manager.DecryptAsync(alice.Address, await alice.Manager.EncryptAsync(bob.Address, Text("start")));
        await alice.Manager.DecryptAsync(bob.Address, await bob.Manager.EncryptAsync(alice.Address, Text("ack")));
        return (alice, bob);
    }

    [Fact]
    public async Task EncryptAsync_TwoManagersOverOneStoreTakingTurns_NeverReuseAMessageKey()
    {
        (SessionParty alice, SessionParty bob) = await AcknowledgedAsync();
        using var second = new SessionManager(alice.Stores, alice.Address);

        // Each manager keeps the record it loaded; the other one advances the stored chain meanwhile.
        var sent = new List<(CiphertextMessage Message, string Text)>();
        for (int i = 0; i < 3; i++)
        {
            sent.Add((await alice.Manager.EncryptAsync(bob.Address, Text($"first {i}")), $"first {i}"));
            sent.Add((await second.EncryptAsync(bob.Address, Text($"second {i}")), $"second {i}"));
        }

        foreach ((CiphertextMessage message, string text) in sent)
        {
            DecryptResult result = await bob.Manager.TryDecryptAsync(alice.Address, message);
            Assert.True(result.IsSuccess, $"{text}: {result.Failure}");
            Assert.Equal(text, Encoding.UTF8.GetString(result.Plaintext!));
        }
    }

    [Fact]
    public async Task EncryptAsync_ManyManagersConcurrentlyOverYieldingStores_EveryMessageDecryptsOnce()
    {
        (SessionParty alice, SessionParty bob) = await AcknowledgedAsync();
        var shared = new YieldingStores(alice.Stores);
        SessionManager[] workers = [.. Enumerable.Range(0, 4).Select(_ => new SessionManager(shared.Stores, alice.Address))];
        try
        {
            const int PerWorker = 8;
            (CiphertextMessage Message, string Text)[][] sent = await Task.WhenAll(workers.Select((worker, w) => Task.Run(async () =>
            {
                var mine = new List<(CiphertextMessage, string)>();
                for (int i = 0; i < PerWorker; i++)
                {
                    string text = $"worker {w} message {i}";
                    mine.Add((await worker.EncryptAsync(bob.Address, Text(text)), text));
                }

                return mine.ToArray();
            })));

            // Every message has its own key: each decrypts once, none is a duplicate of another.
            var received = new List<string>();
            foreach ((CiphertextMessage message, string text) in sent.SelectMany(s => s))
            {
                DecryptResult result = await bob.Manager.TryDecryptAsync(alice.Address, message);
                Assert.True(result.IsSuccess, $"{text}: {result.Failure}");
                received.Add(Encoding.UTF8.GetString(result.Plaintext!));
            }

            Assert.Equal(sent.SelectMany(s => s).Select(s => s.Text).Order(), received.Order());
            Assert.True(shared.SessionWrites >= workers.Length * PerWorker);
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
    public async Task TryDecryptAsync_SameMessageAtTwoManagersOverOneStore_AcceptedOnce()
    {
        (SessionParty alice, SessionParty bob) = await AcknowledgedAsync();
        using var second = new SessionManager(bob.Stores, bob.Address);
        Assert.True(await second.HasSessionAsync(alice.Address));

        CiphertextMessage message = await alice.Manager.EncryptAsync(bob.Address, Text("once"));
        Assert.True((await bob.Manager.TryDecryptAsync(alice.Address, message)).IsSuccess);
        Assert.Equal(E2eChatFailure.Duplicate, (await second.TryDecryptAsync(alice.Address, message)).Failure);
    }

    [Fact]
    public async Task TryDecryptAsync_SameMessageConcurrentlyAtManyManagersOverYieldingStores_AcceptedOnce()
    {
        (SessionParty alice, SessionParty bob) = await AcknowledgedAsync();
        var shared = new YieldingStores(bob.Stores);
        SessionManager[] workers = [.. Enumerable.Range(0, 4).Select(_ => new SessionManager(shared.Stores, bob.Address))];
        try
        {
            foreach (SessionManager worker in workers)
            {
                Assert.True(await worker.HasSessionAsync(alice.Address));
            }

            CiphertextMessage message = await alice.Manager.EncryptAsync(bob.Address, Text("deliver me once"));
            DecryptResult[] results = await Task.WhenAll(workers.Select(w => Task.Run(async () => await w.TryDecryptAsync(alice.Address, message))));

            Assert.Single(results, r => r.IsSuccess);
            Assert.All(results.Where(r => !r.IsSuccess), r => Assert.Equal(E2eChatFailure.Duplicate, r.Failure));
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
    public async Task EncryptAsync_LostRaces_RetriesFromTheStoredStateAndReleasesOneMessage()
    {
        (SessionParty alice, SessionParty bob) = await AcknowledgedAsync();
        var shared = new YieldingStores(alice.Stores) { RefuseSessionWrites = 3 };
        using var manager = new SessionManager(shared.Stores, alice.Address);

        CiphertextMessage message = await manager.EncryptAsync(bob.Address, Text("after three lost races"));
        Assert.Equal(4, shared.SessionWrites);
        Assert.Equal("after three lost races", Encoding.UTF8.GetString(await bob.Manager.DecryptAsync(alice.Address, message)));
        Assert.Equal("next", Encoding.UTF8.GetString(await bob.Manager.DecryptAsync(alice.Address, await alice.Manager.EncryptAsync(bob.Address, Text("next")))));
    }

    [Fact]
    public async Task EncryptAsync_StoreNeverAcceptsTheWrite_StoreConflictAfterMaxAttemptsNothingReleased()
    {
        (SessionParty alice, SessionParty bob) = await AcknowledgedAsync();
        var shared = new YieldingStores(alice.Stores) { RefuseSessionWrites = int.MaxValue };
        using var manager = new SessionManager(shared.Stores, alice.Address);
        byte[] before = (await alice.StoredRecordAsync(bob.Address))!;

        var error = await Assert.ThrowsAsync<E2eChatException>(async () => await manager.EncryptAsync(bob.Address, Text("never")));
        Assert.True(error.Failure == E2eChatFailure.StoreConflict);
        Assert.Equal(ProtocolLimits.MaxCommitAttempts, shared.SessionWrites);
        Assert.Equal(before, await alice.StoredRecordAsync(bob.Address));

        CiphertextMessage incoming = await bob.Manager.EncryptAsync(alice.Address, Text("in"));
        DecryptResult refused = await manager.TryDecryptAsync(bob.Address, incoming);
        Assert.Equal(E2eChatFailure.StoreConflict, refused.Failure);
        Assert.Equal(before, await alice.StoredRecordAsync(bob.Address));

        // Once writes go through, the stored chain continues where it was.
        shared.RefuseSessionWrites = 0;
        Assert.Equal("in", Encoding.UTF8.GetString(await manager.DecryptAsync(bob.Address, incoming)));
        Assert.Equal("now", Encoding.UTF8.GetString(await bob.Manager.DecryptAsync(alice.Address, await manager.EncryptAsync(bob.Address, Text("now")))));
    }

    [Fact]
    public async Task Operations_AfterAnotherWriterDeletedTheSession_SeeNoSession()
    {
        (SessionParty alice, SessionParty bob) = await AcknowledgedAsync();
        Assert.True(await alice.Manager.HasSessionAsync(bob.Address));
        await alice.Stores.Sessions.DeleteSessionAsync(bob.Address);

        Assert.False(await alice.Manager.HasSessionAsync(bob.Address));
        var error = await Assert.ThrowsAsync<E2eChatException>(async () => await alice.Manager.EncryptAsync(bob.Address, Text("x")));
        Assert.True(error.Failure == E2eChatFailure.NoSession);
    }
}
