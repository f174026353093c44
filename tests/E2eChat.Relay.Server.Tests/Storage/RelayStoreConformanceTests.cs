using System.Security.Cryptography;
using E2eChat.Relay.Server.Addressing;
using E2eChat.Relay.Server.Storage;
using E2eChat.Wire;

namespace E2eChat.Relay.Server.Tests.Storage;

/// <summary>
/// The contract of <see cref="IRelayStore"/>, run against every implementation (SQLite here; the
/// PostgreSQL store derives from this class unchanged). Each test uses fresh names, so one store may
/// serve them all.
/// </summary>
public abstract class RelayStoreConformanceTests : IAsyncLifetime
{
    internal const long Now = 1_750_000_000_000;
    internal const long Later = Now + 3_600_000;

    private IRelayStore? _store;

    internal IRelayStore Store => _store!;

    public async Task InitializeAsync() => _store = await CreateStoreAsync();

    public async Task DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }

        await DisposeStoreAsync();
    }

    internal abstract Task<IRelayStore> CreateStoreAsync();

    internal virtual Task DisposeStoreAsync() => Task.CompletedTask;

    [Fact]
    public async Task RegisterDevice_FirstComeThenSameOrOther_PinsIdentityAndKind()
    {
        string name = Names.New("reg");
        byte[] identity = RandomNumberGenerator.GetBytes(128);
        var device = new DeviceAddress(name, 1);
        Assert.Equal(RegistrationOutcome.Registered, await Store.RegisterDeviceAsync(new DeviceRegistration(device, PartyKind.Business, identity, Now), default));
        Assert.Equal(RegistrationOutcome.AlreadyRegistered, await Store.RegisterDeviceAsync(new DeviceRegistration(device, PartyKind.Business, identity, Later), default));
        Assert.Equal(RegistrationOutcome.IdentityMismatch, await Store.RegisterDeviceAsync(new DeviceRegistration(device, PartyKind.Business, RandomNumberGenerator.GetBytes(128), Later), default));
        Assert.Equal(RegistrationOutcome.KindMismatch, await Store.RegisterDeviceAsync(new DeviceRegistration(new DeviceAddress(name, 2), PartyKind.Person, identity, Later), default));
        Assert.Equal(RegistrationOutcome.Registered, await Store.RegisterDeviceAsync(new DeviceRegistration(new DeviceAddress(name, 2), PartyKind.Business, identity, Later), default));

        DeviceRegistration? stored = await Store.GetDeviceAsync(device, default);
        Assert.NotNull(stored);
        Assert.Equal(identity, stored.IdentityKey);
        Assert.Equal(PartyKind.Business, stored.Kind);
        Assert.Equal(Now, stored.RegisteredAtMilliseconds);
        Assert.Equal([1, 2], (await Store.GetAccountDevicesAsync(name, default)).Select(d => d.Address.Device));
        Assert.Null(await Store.GetDeviceAsync(new DeviceAddress(name, 3), default));
    }

    [Fact]
    public async Task RegisterDevice_ConcurrentFirstRegistrations_OneWins()
    {
        var device = new DeviceAddress(Names.New("race"), 1);
        RegistrationOutcome[] outcomes = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
            await Store.RegisterDeviceAsync(new DeviceRegistration(device, PartyKind.Person, RandomNumberGenerator.GetBytes(128), Now), default))));
        Assert.Equal(1, outcomes.Count(o => o == RegistrationOutcome.Registered));
        Assert.Equal(15, outcomes.Count(o => o == RegistrationOutcome.IdentityMismatch));
    }

    [Fact]
    public async Task ClaimBundle_64ConcurrentClaims_NoOneTimeKeyTwiceThenLastResort()
    {
        DeviceAddress device = await RegisterAsync(Names.New("keys"), 1, PartyKind.Business);
        PublishOutcome published = await Store.PublishPreKeysAsync(device, Upload(oneTime: 20, oneTimeKem: 30), 1000, default);
        Assert.True(published.Stored);
        Assert.Equal(new PreKeyCounts(20, 30), published.Counts);

        ClaimedBundle?[] claims = await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => Task.Run(async () => await Store.ClaimBundleAsync(device, default))));
        Assert.All(claims, Assert.NotNull);
        uint[] oneTime = claims.Where(c => c!.OneTimePreKey is not null).Select(c => c!.OneTimePreKey!.Id).ToArray();
        uint[] kem = claims.Where(c => !c!.KemIsLastResort).Select(c => c!.KemPreKey.Id).ToArray();
        Assert.Equal(20, oneTime.Length);
        Assert.Equal(20, oneTime.Distinct().Count());
        Assert.Equal(30, kem.Length);
        Assert.Equal(30, kem.Distinct().Count());
        Assert.Equal(34, claims.Count(c => c!.KemIsLastResort));
        Assert.All(claims.Where(c => c!.KemIsLastResort), c => Assert.Equal(1u, c!.KemPreKey.Id));
        Assert.Equal(new PreKeyCounts(0, 0), await Store.CountPreKeysAsync(device, default));
    }

    [Fact]
    public async Task ClaimBundle_NoSignedOrUnknown_Null()
    {
        DeviceAddress device = await RegisterAsync(Names.New("nokeys"), 1, PartyKind.Person);
        Assert.Null(await Store.ClaimBundleAsync(device, default));
        Assert.Null(await Store.ClaimBundleAsync(new DeviceAddress(Names.New("ghost"), 1), default));
        await Store.PublishPreKeysAsync(device, new PreKeyUpload(null, null, [new OneTimePreKeyRecord(5, new byte[32])], []), 1000, default);
        Assert.Null(await Store.ClaimBundleAsync(device, default));
        Assert.Equal(new PreKeyCounts(1, 0), await Store.CountPreKeysAsync(device, default));
    }

    [Fact]
    public async Task PublishPreKeys_BeyondBound_StoresNothing()
    {
        DeviceAddress device = await RegisterAsync(Names.New("bound"), 1, PartyKind.Person);
        Assert.True((await Store.PublishPreKeysAsync(device, Upload(oneTime: 8, oneTimeKem: 0), 10, default)).Stored);
        PublishOutcome outcome = await Store.PublishPreKeysAsync(device, Upload(oneTime: 3, oneTimeKem: 0, firstId: 100), 10, default);
        Assert.False(outcome.Stored);
        Assert.Equal(new PreKeyCounts(8, 0), await Store.CountPreKeysAsync(device, default));
    }

    [Fact]
    public async Task Writes_ConcurrentWithOneRefusedKind_EachKeepsItsOwnOutcome()
    {
        DeviceAddress alice = await RegisterAsync(Names.New("alice"), 1, PartyKind.Person);
        DeviceAddress bob = await RegisterAsync(Names.New("bob"), 1, PartyKind.Person);
        DeviceAddress keys = await RegisterAsync(Names.New("bound"), 1, PartyKind.Person);
        Assert.True((await Store.PublishPreKeysAsync(keys, Upload(oneTime: 8, oneTimeKem: 0), 10, default)).Stored);

        // Sends and over-bound uploads (each rolled back) interleaved; a store may run them in one
        // transaction (group commit), but every write keeps its own outcome and effect.
        var sends = new List<Task<IReadOnlyList<IReadOnlyList<DeliveryOutcome>>>>();
        var uploads = new List<Task<PublishOutcome>>();
        for (int i = 0; i < 48; i++)
        {
            sends.Add(Task.Run(async () => await StoreAsync(Message(alice, RandomNumberGenerator.GetBytes(16), bob))));
            if (i % 8 == 0)
            {
                uint first = 100 + (uint)(i * 10);
                uploads.Add(Task.Run(async () => await Store.PublishPreKeysAsync(keys, Upload(oneTime: 3, oneTimeKem: 0, firstId: first), 10, default)));
            }
        }

        Assert.All(await Task.WhenAll(sends), outcome => Assert.Equal([DeliveryOutcome.Stored], outcome[0]));
        Assert.All(await Task.WhenAll(uploads), outcome => Assert.False(outcome.Stored));
        Assert.Equal(new PreKeyCounts(8, 0), await Store.CountPreKeysAsync(keys, default));
        QueuePage page = await Store.ReadQueueAsync(bob, 0, 100, Now, default);
        Assert.Equal(48, page.Deliveries.Count);

        // One acknowledgement for all of them, with a repeat and an unknown sequence: each queued one counted once.
        long[] sequences = [.. page.Deliveries.Select(d => d.Sequence), page.Deliveries[0].Sequence, long.MaxValue];
        Assert.Equal(48, await Store.AcknowledgeAsync(bob, sequences, 0, default));
        Assert.Empty((await Store.ReadQueueAsync(bob, 0, 100, Now, default)).Deliveries);
        Assert.Equal(0, await Store.AcknowledgeAsync(bob, sequences, 0, default));
    }

    [Fact]
    public async Task Store_SameRecipientAndMessageId_QueuedOnceThenDuplicate()
    {
        DeviceAddress alice = await RegisterAsync(Names.New("alice"), 1, PartyKind.Person);
        DeviceAddress bob = await RegisterAsync(Names.New("bob"), 1, PartyKind.Person);
        byte[] id = RandomNumberGenerator.GetBytes(16);
        Assert.Equal([DeliveryOutcome.Stored], (await StoreAsync(Message(alice, id, bob)))[0]);
        Assert.Equal([DeliveryOutcome.Duplicate], (await StoreAsync(Message(alice, id, bob)))[0]);
        QueuePage page = await Store.ReadQueueAsync(bob, 0, 100, Now, default);
        Assert.Single(page.Deliveries);

        // Acknowledged and deleted: a late retry is still a duplicate while the message would live.
        Assert.Equal(1, await Store.AcknowledgeAsync(bob, [page.Deliveries[0].Sequence], 0, default));
        Assert.Equal([DeliveryOutcome.Duplicate], (await StoreAsync(Message(alice, id, bob)))[0]);
        Assert.Empty((await Store.ReadQueueAsync(bob, 0, 100, Now, default)).Deliveries);
    }

    [Fact]
    public async Task Store_UnknownRecipient_NothingQueuedNothingRemembered()
    {
        DeviceAddress alice = await RegisterAsync(Names.New("alice"), 1, PartyKind.Person);
        var ghost = new DeviceAddress(Names.New("ghost"), 1);
        byte[] id = RandomNumberGenerator.GetBytes(16);
        Assert.Equal([DeliveryOutcome.UnknownRecipient], (await StoreAsync(Message(alice, id, ghost)))[0]);
        await Store.RegisterDeviceAsync(new DeviceRegistration(ghost, PartyKind.Person, new byte[128], Now), default);
        Assert.Equal([DeliveryOutcome.Stored], (await StoreAsync(Message(alice, id, ghost)))[0]);
    }

    [Fact]
    public async Task Store_Billing_OncePerLogicalMessageAndRecipientAccount()
    {
        string shopName = Names.New("shop");
        DeviceAddress shop1 = await RegisterAsync(shopName, 1, PartyKind.Business);
        DeviceAddress shop2 = await RegisterAsync(shopName, 2, PartyKind.Business);
        DeviceAddress alice1 = await RegisterAsync(Names.New("alice"), 1, PartyKind.Person);
        DeviceAddress alice2 = await RegisterAsync(alice1.Name, 2, PartyKind.Person);
        DeviceAddress carol = await RegisterAsync(Names.New("carol"), 1, PartyKind.Person);
        byte[] id = RandomNumberGenerator.GetBytes(16);
        BillingCharge toAlice = new(shopName, alice1.Name, "unclassified");

        // One logical message: two customer devices (one batch), a sync copy, a retry, a later fan-out.
        await StoreAsync(Message(shop1, id, alice1, [toAlice]), Message(shop1, id, alice2, [toAlice]), Message(shop1, id, shop2, []));
        await StoreAsync(Message(shop1, id, alice1, [toAlice]));
        Assert.Equal([new UsageEntry(DayOf(Now), "unclassified", 1)], await Store.GetUsageAsync(shopName, DayOf(Now), DayOf(Now), default));

        // The same message id to another customer is another message.
        await StoreAsync(Message(shop1, id, carol, [new BillingCharge(shopName, carol.Name, "unclassified")]));
        Assert.Equal(2, (await Store.GetUsageAsync(shopName, DayOf(Now), DayOf(Now), default)).Single().Messages);

        // A charge for an account the message did not newly reach is not applied.
        await StoreAsync(Message(shop1, RandomNumberGenerator.GetBytes(16), shop2, [new BillingCharge(shopName, "someone-else", "unclassified")]));
        Assert.Equal(2, (await Store.GetUsageAsync(shopName, 0, int.MaxValue, default)).Sum(u => u.Messages));
        Assert.Empty(await Store.GetUsageAsync(alice1.Name, 0, int.MaxValue, default));
    }

    [Fact]
    public async Task Store_OneBatch_SameOutcomesAsOneByOne()
    {
        DeviceAddress alice = await RegisterAsync(Names.New("alice"), 1, PartyKind.Person);
        DeviceAddress bob = await RegisterAsync(Names.New("bob"), 1, PartyKind.Person);
        var ghost = new DeviceAddress(Names.New("ghost"), 1);
        byte[] old = RandomNumberGenerator.GetBytes(16);
        await StoreAsync(Message(alice, old, bob));
        QueuePage before = await Store.ReadQueueAsync(bob, 0, 100, Now, default);
        byte[] twice = RandomNumberGenerator.GetBytes(16);
        byte[] lost = RandomNumberGenerator.GetBytes(16);
        MessageToStore first = Message(alice, RandomNumberGenerator.GetBytes(16), bob);
        MessageToStore copy1 = Message(alice, twice, bob);
        MessageToStore copy2 = Message(alice, twice, bob);
        MessageToStore last = Message(alice, RandomNumberGenerator.GetBytes(16), bob);

        IReadOnlyList<IReadOnlyList<DeliveryOutcome>> outcomes = await StoreAsync(
            first, Message(alice, lost, ghost), copy1, Message(alice, old, bob), copy2, Message(alice, lost, ghost), last);

        Assert.Equal(
            [DeliveryOutcome.Stored, DeliveryOutcome.UnknownRecipient, DeliveryOutcome.Stored, DeliveryOutcome.Duplicate, DeliveryOutcome.Duplicate, DeliveryOutcome.UnknownRecipient, DeliveryOutcome.Stored],
            outcomes.Select(o => o.Single()));
        QueuePage page = await Store.ReadQueueAsync(bob, before.Deliveries.Single().Sequence, 100, Now, default);
        Assert.Equal([first.Envelope, copy1.Envelope, last.Envelope], page.Deliveries.Select(d => d.Envelope));
        Assert.True(page.Deliveries[0].Sequence < page.Deliveries[1].Sequence && page.Deliveries[1].Sequence < page.Deliveries[2].Sequence);

        // Nothing was remembered for the unregistered device.
        await Store.RegisterDeviceAsync(new DeviceRegistration(ghost, PartyKind.Person, new byte[128], Now), default);
        Assert.Equal([DeliveryOutcome.Stored], (await StoreAsync(Message(alice, lost, ghost)))[0]);
    }

    [Fact]
    public async Task Store_ConcurrentBatchesToOneDevice_EachOnceInOrderAndBilledExactly()
    {
        string shopName = Names.New("shop");
        DeviceAddress shop = await RegisterAsync(shopName, 1, PartyKind.Business);
        DeviceAddress alice = await RegisterAsync(Names.New("alice"), 1, PartyKind.Person);
        var charge = new BillingCharge(shopName, alice.Name, "UTILITY");
        const int Batches = 16;
        const int PerBatch = 10;
        byte[][] ids = [.. Enumerable.Range(0, Batches * PerBatch).Select(_ => RandomNumberGenerator.GetBytes(16))];

        // Every batch also repeats a message id of the batch before it: a retry that must be neither
        // queued nor billed twice, whichever batch commits first.
        await Task.WhenAll(Enumerable.Range(0, Batches).Select(b => Task.Run(async () =>
        {
            var batch = Enumerable.Range(b * PerBatch, PerBatch).Select(i => Message(shop, ids[i], alice, [charge])).ToList();
            batch.Add(Message(shop, ids[((b + Batches - 1) % Batches) * PerBatch], alice, [charge]));
            await Store.StoreAsync(batch, Now, 100_000, default);
        })));

        QueuePage page = await Store.ReadQueueAsync(alice, 0, 1000, Now, default);
        Assert.Equal(Batches * PerBatch, page.Deliveries.Count);
        Assert.Equal(Batches * PerBatch, page.Deliveries.Select(d => d.Sequence).Distinct().Count());
        Assert.Equal(page.Deliveries.Select(d => d.Sequence).Order(), page.Deliveries.Select(d => d.Sequence));
        Assert.Equal([new UsageEntry(DayOf(Now), "UTILITY", Batches * PerBatch)], await Store.GetUsageAsync(shopName, DayOf(Now), DayOf(Now), default));
    }

    [Fact]
    public async Task ReadQueue_InOrderAfterCursor_AckDeletesAndKeepsSharedPost()
    {
        DeviceAddress shop = await RegisterAsync(Names.New("shop"), 1, PartyKind.Business);
        DeviceAddress alice = await RegisterAsync(Names.New("alice"), 1, PartyKind.Person);
        DeviceAddress bob = await RegisterAsync(Names.New("bob"), 1, PartyKind.Person);
        byte[] post = RandomNumberGenerator.GetBytes(200);
        var postMessage = new MessageToStore(shop, RandomNumberGenerator.GetBytes(16), post, Later, [alice, bob], [], null);
        Assert.Equal([DeliveryOutcome.Stored, DeliveryOutcome.Stored], (await Store.StoreAsync([postMessage], Now, 100, default))[0]);
        MessageToStore second = Message(shop, RandomNumberGenerator.GetBytes(16), alice);
        await StoreAsync(second);

        QueuePage all = await Store.ReadQueueAsync(alice, 0, 100, Now, default);
        Assert.Equal(2, all.Deliveries.Count);
        Assert.True(all.Deliveries[0].Sequence < all.Deliveries[1].Sequence);
        Assert.Equal(post, all.Deliveries[0].Envelope);
        Assert.Equal(second.Envelope, all.Deliveries[1].Envelope);
        Assert.Equal([all.Deliveries[1].Sequence], (await Store.ReadQueueAsync(alice, all.Deliveries[0].Sequence, 100, Now, default)).Deliveries.Select(d => d.Sequence));
        Assert.Single((await Store.ReadQueueAsync(alice, 0, 1, Now, default)).Deliveries);

        Assert.Equal(1, await Store.AcknowledgeAsync(alice, [all.Deliveries[0].Sequence, 999_999], 0, default));
        Assert.Equal(post, (await Store.ReadQueueAsync(bob, 0, 100, Now, default)).Deliveries.Single().Envelope);
        Assert.Single((await Store.ReadQueueAsync(alice, 0, 100, Now, default)).Deliveries);
    }

    [Fact]
    public async Task Store_QueueFull_TrimsOldestAndCountsForNotice()
    {
        DeviceAddress alice = await RegisterAsync(Names.New("alice"), 1, PartyKind.Person);
        DeviceAddress bob = await RegisterAsync(Names.New("bob"), 1, PartyKind.Person);
        var sent = new List<MessageToStore>();
        for (int i = 0; i < 5; i++)
        {
            sent.Add(Message(alice, RandomNumberGenerator.GetBytes(16), bob));
            await Store.StoreAsync([sent[^1]], Now, 3, default);
        }

        QueuePage page = await Store.ReadQueueAsync(bob, 0, 100, Now, default);
        Assert.Equal(sent.Skip(2).Select(m => m.Envelope), page.Deliveries.Select(d => d.Envelope));
        Assert.Equal(2, page.Trimmed);
        await Store.AcknowledgeAsync(bob, [], 2, default);
        Assert.Equal(0, (await Store.ReadQueueAsync(bob, 0, 100, Now, default)).Trimmed);
    }

    [Fact]
    public async Task PurgeFromSender_RemovesOnlyThatAccountsMessagesFromEveryDevice()
    {
        string shopName = Names.New("shop");
        DeviceAddress shop1 = await RegisterAsync(shopName, 1, PartyKind.Business);
        DeviceAddress shop2 = await RegisterAsync(shopName, 2, PartyKind.Business);
        DeviceAddress bob = await RegisterAsync(Names.New("bob"), 1, PartyKind.Person);
        DeviceAddress alice1 = await RegisterAsync(Names.New("alice"), 1, PartyKind.Person);
        DeviceAddress alice2 = await RegisterAsync(alice1.Name, 2, PartyKind.Person);
        MessageToStore fromBob = Message(bob, RandomNumberGenerator.GetBytes(16), alice1);
        await StoreAsync(Message(shop1, RandomNumberGenerator.GetBytes(16), alice1), Message(shop2, RandomNumberGenerator.GetBytes(16), alice2), fromBob, Message(shop1, RandomNumberGenerator.GetBytes(16), bob));

        Assert.Equal(2, await Store.PurgeFromSenderAsync(alice1.Name, shopName, default));
        Assert.Equal([fromBob.Envelope], (await Store.ReadQueueAsync(alice1, 0, 100, Now, default)).Deliveries.Select(d => d.Envelope));
        Assert.Empty((await Store.ReadQueueAsync(alice2, 0, 100, Now, default)).Deliveries);
        Assert.Single((await Store.ReadQueueAsync(bob, 0, 100, Now, default)).Deliveries);
    }

    [Fact]
    public async Task DeleteExpired_RemovesMessagesDedupKeysAndChallenges()
    {
        DeviceAddress alice = await RegisterAsync(Names.New("alice"), 1, PartyKind.Person);
        DeviceAddress bob = await RegisterAsync(Names.New("bob"), 1, PartyKind.Person);
        byte[] id = RandomNumberGenerator.GetBytes(16);
        MessageToStore shortLived = Message(alice, id, bob) with { ExpiresAtMilliseconds = Now + 1000 };
        MessageToStore longLived = Message(alice, RandomNumberGenerator.GetBytes(16), bob) with { ExpiresAtMilliseconds = Later };
        await StoreAsync(shortLived, longLived);
        byte[] challenge = RandomNumberGenerator.GetBytes(24);
        Assert.True(await Store.TryUseChallengeAsync(challenge, Now + 1000, default));

        Assert.Equal(2, (await Store.ReadQueueAsync(bob, 0, 100, Now, default)).Deliveries.Count);
        Assert.Equal([longLived.Envelope], (await Store.ReadQueueAsync(bob, 0, 100, Now + 1000, default)).Deliveries.Select(d => d.Envelope));

        ExpiryCounts counts = await Store.DeleteExpiredAsync(Now + 1000, default);
        Assert.True(counts.Messages >= 1 && counts.DedupRecords >= 1 && counts.Challenges >= 1);
        Assert.True(await Store.TryUseChallengeAsync(challenge, Now + 2000, default));
        Assert.Equal([DeliveryOutcome.Stored], (await StoreAsync(Message(alice, id, bob)))[0]);
    }

    [Fact]
    public async Task TryUseChallenge_SecondUse_False()
    {
        byte[] challenge = RandomNumberGenerator.GetBytes(24);
        bool[] uses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () => await Store.TryUseChallengeAsync(challenge, Later, default))));
        Assert.Equal(1, uses.Count(u => u));
    }

    [Fact]
    public async Task GetOrCreateSecret_KeepsTheFirst()
    {
        string name = Names.New("secret");
        byte[] first = RandomNumberGenerator.GetBytes(32);
        Assert.Equal(first, await Store.GetOrCreateSecretAsync(name, first, default));
        Assert.Equal(first, await Store.GetOrCreateSecretAsync(name, RandomNumberGenerator.GetBytes(32), default));
    }

    [Fact]
    public async Task Store_CustomerWritesBusiness_OpensAndRenewsServiceWindow()
    {
        DeviceAddress shop = await RegisterAsync(Names.New("shop"), 1, PartyKind.Business);
        DeviceAddress alice = await RegisterAsync(Names.New("alice"), 1, PartyKind.Person);
        Assert.Null(await Store.GetConsentAsync(alice.Name, shop.Name, default));
        await Store.StoreAsync([Message(alice, RandomNumberGenerator.GetBytes(16), shop) with { Touch = new ConversationTouch(alice.Name, shop.Name) }], Later, 100, default);
        Assert.Equal((ulong)Later + ConsentPolicy.ServiceWindowMilliseconds, (await Store.GetConsentAsync(alice.Name, shop.Name, default))!.State.WindowUntilMilliseconds);

        // An earlier clock never shortens the window.
        await Store.StoreAsync([Message(alice, RandomNumberGenerator.GetBytes(16), shop) with { Touch = new ConversationTouch(alice.Name, shop.Name) }], Now, 100, default);
        StoredConsent stored = (await Store.GetConsentAsync(alice.Name, shop.Name, default))!;
        Assert.Equal((ulong)Later + ConsentPolicy.ServiceWindowMilliseconds, stored.State.WindowUntilMilliseconds);
        Assert.Equal(0ul, stored.State.Serial);
        Assert.Null(stored.Record);
    }

    [Fact]
    public async Task SaveConsent_CompareAndSwapOnSerial_KeepsWindowAndBlockStopsRenewal()
    {
        DeviceAddress shop = await RegisterAsync(Names.New("shop"), 1, PartyKind.Business);
        DeviceAddress alice = await RegisterAsync(Names.New("alice"), 1, PartyKind.Person);
        await Store.StoreAsync([Message(alice, RandomNumberGenerator.GetBytes(16), shop) with { Touch = new ConversationTouch(alice.Name, shop.Name) }], Now, 100, default);
        ulong window = (ulong)Now + ConsentPolicy.ServiceWindowMilliseconds;

        var grant = new ConsentState(1, ConsentAction.Grant, false, ConsentScopes.Utility | ConsentScopes.Marketing, ulong.MaxValue - 1, 0);
        Assert.True(await Store.SaveConsentAsync(alice.Name, shop.Name, 0, grant, [1, 2, 3], default));
        Assert.False(await Store.SaveConsentAsync(alice.Name, shop.Name, 0, new ConsentState(2, ConsentAction.Revoke, false, ConsentScopes.None, 0, 0), [4], default));
        StoredConsent stored = (await Store.GetConsentAsync(alice.Name, shop.Name, default))!;
        Assert.Equal(new ConsentState(1, ConsentAction.Grant, false, ConsentScopes.Utility | ConsentScopes.Marketing, ulong.MaxValue - 1, window), stored.State);
        Assert.Equal(new byte[] { 1, 2, 3 }, stored.Record);

        var block = new ConsentState(ulong.MaxValue, ConsentAction.Block, true, ConsentScopes.None, 0, 0);
        Assert.True(await Store.SaveConsentAsync(alice.Name, shop.Name, 1, block, [5], default));
        await Store.StoreAsync([Message(alice, RandomNumberGenerator.GetBytes(16), shop) with { Touch = new ConversationTouch(alice.Name, shop.Name) }], Later, 100, default);
        stored = (await Store.GetConsentAsync(alice.Name, shop.Name, default))!;
        Assert.Equal(new ConsentState(ulong.MaxValue, ConsentAction.Block, true, ConsentScopes.None, 0, window), stored.State);

        // A pair never written: its first record saves against serial 0.
        Assert.True(await Store.SaveConsentAsync(Names.New("bob"), shop.Name, 0, new ConsentState(3, ConsentAction.Block, true, ConsentScopes.None, 0, 0), [6], default));
    }

    [Fact]
    public async Task SaveConsent_ConcurrentWritersOfOneSerial_OneWins()
    {
        string shop = Names.New("shop");
        string alice = Names.New("alice");
        bool[] saved = await Task.WhenAll(Enumerable.Range(1, 8).Select(i => Task.Run(async () =>
            await Store.SaveConsentAsync(alice, shop, 0, new ConsentState((ulong)i, ConsentAction.Revoke, false, ConsentScopes.None, 0, 0), [(byte)i], default))));
        Assert.Equal(1, saved.Count(s => s));
    }

    [Fact]
    public async Task PublishDeviceList_FirstPinsKeyThenOnlyNewerVersionsUnderThatKey()
    {
        string shop = Names.New("shop");
        byte[] key = RandomNumberGenerator.GetBytes(32);
        byte[] otherKey = RandomNumberGenerator.GetBytes(32);
        byte[] v1 = RandomNumberGenerator.GetBytes(300);
        byte[] v2 = RandomNumberGenerator.GetBytes(310);
        Assert.Null(await Store.GetDeviceListAsync(shop, default));
        Assert.Null(await Store.GetAccountKeyAsync(shop, default));

        Assert.Equal(DeviceListOutcome.Published, await Store.PublishDeviceListAsync(shop, key, 1, v1, default));
        Assert.Equal(DeviceListOutcome.Unchanged, await Store.PublishDeviceListAsync(shop, key, 1, v1, default));
        Assert.Equal(DeviceListOutcome.VersionRollback, await Store.PublishDeviceListAsync(shop, key, 1, v2, default));
        Assert.Equal(DeviceListOutcome.AccountKeyMismatch, await Store.PublishDeviceListAsync(shop, otherKey, 9, v2, default));
        Assert.Equal(key, await Store.GetAccountKeyAsync(shop, default));
        Assert.Equal(v1, (await Store.GetDeviceListAsync(shop, default))!.SignedList);

        Assert.Equal(DeviceListOutcome.Published, await Store.PublishDeviceListAsync(shop, key, 2, v2, default));
        Assert.Equal(DeviceListOutcome.VersionRollback, await Store.PublishDeviceListAsync(shop, key, 1, v1, default));
        StoredDeviceList stored = (await Store.GetDeviceListAsync(shop, default))!;
        Assert.Equal(key, stored.AccountKey);
        Assert.Equal(2UL, stored.Version);
        Assert.Equal(v2, stored.SignedList);
        Assert.Null(await Store.GetAccountKeyAsync(Names.New("nobody"), default));
    }

    [Fact]
    public async Task PublishDeviceList_VersionsAcrossTheTopBit_OrderedAsUnsigned()
    {
        string shop = Names.New("shop");
        byte[] key = RandomNumberGenerator.GetBytes(32);
        ulong[] versions = [1, long.MaxValue, (ulong)long.MaxValue + 1, ulong.MaxValue];
        foreach (ulong version in versions)
        {
            Assert.Equal(DeviceListOutcome.Published, await Store.PublishDeviceListAsync(shop, key, version, BitConverter.GetBytes(version), default));
            Assert.Equal(version, (await Store.GetDeviceListAsync(shop, default))!.Version);
        }

        Assert.Equal(DeviceListOutcome.VersionRollback, await Store.PublishDeviceListAsync(shop, key, long.MaxValue, [1], default));
    }

    [Fact]
    public async Task PublishDeviceList_ConcurrentFirstLists_OneKeyPinned()
    {
        string shop = Names.New("shop");
        byte[][] keys = [.. Enumerable.Range(0, 8).Select(_ => RandomNumberGenerator.GetBytes(32))];
        DeviceListOutcome[] outcomes = await Task.WhenAll(keys.Select(k => Task.Run(async () =>
            await Store.PublishDeviceListAsync(shop, k, 1, k, default))));
        Assert.Equal(1, outcomes.Count(o => o == DeviceListOutcome.Published));
        Assert.Equal(7, outcomes.Count(o => o == DeviceListOutcome.AccountKeyMismatch));
        byte[] pinned = (await Store.GetAccountKeyAsync(shop, default))!;
        Assert.Equal(pinned, keys[Array.FindIndex(outcomes, o => o == DeviceListOutcome.Published)]);
    }

    internal async Task<DeviceAddress> RegisterAsync(string name, int device, PartyKind kind)
    {
        var address = new DeviceAddress(name, device);
        Assert.NotEqual(RegistrationOutcome.IdentityMismatch, await Store.RegisterDeviceAsync(new DeviceRegistration(address, kind, new byte[128], Now), default));
        return address;
    }

    internal async Task<IReadOnlyList<IReadOnlyList<DeliveryOutcome>>> StoreAsync(params MessageToStore[] messages) =>
        await Store.StoreAsync(messages, Now, 10_000, default);

    internal static MessageToStore Message(DeviceAddress from, byte[] id, DeviceAddress to, IReadOnlyList<BillingCharge>? charges = null) =>
        new(from, id, RandomNumberGenerator.GetBytes(120), Later, [to], charges ?? [], null);

    private static int DayOf(long ms) => (int)(ms / 86_400_000);

    private static PreKeyUpload Upload(int oneTime, int oneTimeKem, uint firstId = 1) => new(
        new SignedPreKeyRecord(1, new byte[32], new byte[64]),
        new KemPreKeyRecord(1, new byte[1184], new byte[64]),
        Enumerable.Range(0, oneTime).Select(i => new OneTimePreKeyRecord(firstId + (uint)i, RandomNumberGenerator.GetBytes(32))).ToList(),
        Enumerable.Range(0, oneTimeKem).Select(i => new KemPreKeyRecord(firstId + 10_000 + (uint)i, RandomNumberGenerator.GetBytes(1184), new byte[64])).ToList());
}
