using System.Security.Cryptography;
using E2eChat.Relay.Server.Addressing;
using E2eChat.Relay.Server.Storage;
using E2eChat.Relay.Server.Storage.Postgres;

namespace E2eChat.Relay.Server.Tests.Storage;

/// <summary>
/// The conformance suite over PostgreSQL (a fresh schema per test), plus what only a shared database
/// has: several stores (nodes) over one schema, concurrent migration, schema versions.
/// </summary>
public sealed class PostgresRelayStoreTests : RelayStoreConformanceTests
{
    private readonly string _schema = PostgresTestDatabase.NewSchemaName();

    internal override async Task<IRelayStore> CreateStoreAsync()
    {
        var store = new PostgresRelayStore(PostgresTestDatabase.AdminConnectionString, _schema);
        await store.InitializeAsync(default);
        return store;
    }

    internal override Task DisposeStoreAsync() => PostgresTestDatabase.DropSchemaAsync(_schema);

    [Fact]
    public async Task SecondNode_SameSchema_SeesEverythingCommitted()
    {
        DeviceAddress alice = await RegisterAsync(Names.New("alice"), 1, PartyKind.Person);
        DeviceAddress bob = await RegisterAsync(Names.New("bob"), 1, PartyKind.Person);
        MessageToStore message = Message(alice, RandomNumberGenerator.GetBytes(16), bob);
        await StoreAsync(message);

        await using var other = (PostgresRelayStore)await CreateStoreAsync();
        Assert.Equal(message.Envelope, (await other.ReadQueueAsync(bob, 0, 10, 0, default)).Deliveries.Single().Envelope);
        Assert.Equal([DeliveryOutcome.Duplicate], (await other.StoreAsync([message], 0, 100, default))[0]);
        Assert.NotNull(await other.GetDeviceAsync(alice, default));
    }

    [Fact]
    public async Task ClaimBundle_ConcurrentClaimsThroughTwoNodes_NoOneTimeKeyTwice()
    {
        await using var other = (PostgresRelayStore)await CreateStoreAsync();
        DeviceAddress device = await RegisterAsync(Names.New("keys"), 1, PartyKind.Business);
        var upload = new PreKeyUpload(
            new SignedPreKeyRecord(1, new byte[32], new byte[64]),
            new KemPreKeyRecord(1, new byte[1184], new byte[64]),
            Enumerable.Range(1, 40).Select(i => new OneTimePreKeyRecord((uint)i, RandomNumberGenerator.GetBytes(32))).ToList(),
            []);
        Assert.True((await Store.PublishPreKeysAsync(device, upload, 1000, default)).Stored);

        IRelayStore[] nodes = [Store, other];
        ClaimedBundle?[] claims = await Task.WhenAll(Enumerable.Range(0, 64).Select(i => Task.Run(async () => await nodes[i % 2].ClaimBundleAsync(device, default))));
        uint[] oneTime = claims.Where(c => c!.OneTimePreKey is not null).Select(c => c!.OneTimePreKey!.Id).ToArray();
        Assert.Equal(40, oneTime.Length);
        Assert.Equal(40, oneTime.Distinct().Count());
    }

    [Fact]
    public async Task Store_SameMessageThroughTwoNodesAtOnce_QueuedAndBilledOnce()
    {
        await using var other = (PostgresRelayStore)await CreateStoreAsync();
        string shopName = Names.New("shop");
        DeviceAddress shop = await RegisterAsync(shopName, 1, PartyKind.Business);
        DeviceAddress alice = await RegisterAsync(Names.New("alice"), 1, PartyKind.Person);
        IRelayStore[] nodes = [Store, other];
        for (int round = 0; round < 10; round++)
        {
            MessageToStore message = Message(shop, RandomNumberGenerator.GetBytes(16), alice, [new BillingCharge(shopName, alice.Name, "unclassified")]);
            IReadOnlyList<IReadOnlyList<DeliveryOutcome>>[] outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(async () => await nodes[i % 2].StoreAsync([message], 1_750_000_000_000, 10_000, default))));
            Assert.Equal(1, outcomes.Count(o => o[0][0] == DeliveryOutcome.Stored));
        }

        Assert.Equal(10, (await Store.ReadQueueAsync(alice, 0, 100, 0, default)).Deliveries.Count);
        Assert.Equal(10, (await other.GetUsageAsync(shopName, 0, int.MaxValue, default)).Sum(u => u.Messages));
    }

    [Fact]
    public async Task Initialize_FourNodesAtOnceOnAFreshSchema_OneMigration()
    {
        string schema = PostgresTestDatabase.NewSchemaName();
        var stores = Enumerable.Range(0, 4).Select(_ => new PostgresRelayStore(PostgresTestDatabase.AdminConnectionString, schema)).ToArray();
        try
        {
            await Task.WhenAll(stores.Select(s => Task.Run(async () => await s.InitializeAsync(default))));
            Assert.Equal(1L, await PostgresTestDatabase.ScalarAsync("SELECT count(*) FROM schema_version;", schema));
            Assert.Equal(PostgresSchema.CurrentVersion, await PostgresTestDatabase.ScalarAsync("SELECT version FROM schema_version;", schema));
        }
        finally
        {
            foreach (PostgresRelayStore store in stores)
            {
                await store.DisposeAsync();
            }

            await PostgresTestDatabase.DropSchemaAsync(schema);
        }
    }

    [Fact]
    public async Task Initialize_NewerSchemaVersion_Refused()
    {
        await PostgresTestDatabase.ScalarAsync($"UPDATE schema_version SET version = {PostgresSchema.CurrentVersion + 1};", _schema);
        await using var store = new PostgresRelayStore(PostgresTestDatabase.AdminConnectionString, _schema);
        InvalidOperationException ex = await Assert.ThrowsAsync<InvalidOperationException>(async () => await store.InitializeAsync(default));
        Assert.Contains("schema version", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_BadSchemaName_Refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new PostgresRelayStore(PostgresTestDatabase.AdminConnectionString, "x\"; DROP TABLE y; --"));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PostgresRelayStore(PostgresTestDatabase.AdminConnectionString, "Upper"));
    }
}
