using System.Security.Cryptography;
using E2eChat.Relay.Server.Addressing;
using E2eChat.Relay.Server.Storage;
using E2eChat.Relay.Server.Storage.Postgres;

namespace E2eChat.Relay.Server.Tests.Storage;

/// <summary>
/// The conformance suite over two PostgreSQL databases (accounts spread by <see cref="ShardMap"/>),
/// plus routing: each account's rows are in its shard's database and nowhere else.
/// </summary>
public sealed class ShardedRelayStoreTests(TwoDatabasesFixture databases) : RelayStoreConformanceTests, IClassFixture<TwoDatabasesFixture>
{
    private readonly string _schema = PostgresTestDatabase.NewSchemaName();

    internal override async Task<IRelayStore> CreateStoreAsync()
    {
        var store = new ShardedRelayStore([.. databases.ConnectionStrings.Select(c => new PostgresRelayStore(c, _schema))]);
        await store.InitializeAsync(default);
        return store;
    }

    internal override Task DisposeStoreAsync() => databases.DropSchemaAsync(_schema);

    [Fact]
    public async Task Register_FortyAccounts_EachOnlyInTheDatabaseItsHashNames()
    {
        var sharded = (ShardedRelayStore)Store;
        var accounts = Enumerable.Range(0, 40).Select(_ => Names.New("acct")).ToList();
        foreach (string account in accounts)
        {
            await RegisterAsync(account, 1, PartyKind.Person);
        }

        List<string>[] stored = [await databases.NamesAsync(0, _schema, "SELECT name FROM devices"), await databases.NamesAsync(1, _schema, "SELECT name FROM devices")];
        foreach (string account in accounts)
        {
            int shard = sharded.Map.ShardOf(account);
            Assert.Contains(account, stored[shard]);
            Assert.DoesNotContain(account, stored[1 - shard]);
        }

        Assert.NotEmpty(stored[0]);
        Assert.NotEmpty(stored[1]);
    }

    [Fact]
    public async Task BusinessPostToCustomersOnBothShards_QueuedInEachRecipientsShardAndBilledOverBoth()
    {
        var sharded = (ShardedRelayStore)Store;
        string shopName = Names.New("shop");
        DeviceAddress shop = await RegisterAsync(shopName, 1, PartyKind.Business);
        var customers = new List<DeviceAddress>();
        while (customers.Select(c => sharded.Map.ShardOf(c.Name)).Distinct().Count() < 2 || customers.Count < 6)
        {
            customers.Add(await RegisterAsync(Names.New("cust"), 1, PartyKind.Person));
        }

        var post = new MessageToStore(shop, RandomNumberGenerator.GetBytes(16), RandomNumberGenerator.GetBytes(100), long.MaxValue, customers, [.. customers.Select(c => new BillingCharge(shopName, c.Name, "unclassified"))], null);
        Assert.All((await Store.StoreAsync([post], 1_750_000_000_000, 100, default))[0], o => Assert.Equal(DeliveryOutcome.Stored, o));
        Assert.All((await Store.StoreAsync([post], 1_750_000_000_000, 100, default))[0], o => Assert.Equal(DeliveryOutcome.Duplicate, o));
        foreach (DeviceAddress customer in customers)
        {
            Assert.Equal(post.Envelope, (await Store.ReadQueueAsync(customer, 0, 10, 0, default)).Deliveries.Single().Envelope);
            List<string> queued = await databases.NamesAsync(sharded.Map.ShardOf(customer.Name), _schema, "SELECT name FROM queue");
            Assert.Contains(customer.Name, queued);
        }

        Assert.Equal(customers.Count, (await Store.GetUsageAsync(shopName, 0, int.MaxValue, default)).Single().Messages);
    }
}
