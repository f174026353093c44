using E2eChat.Wire;

namespace E2eChat.Tests.Accounts;

/// <summary>
/// A business (<c>acme-shoes</c>) whose agents come and go, and a customer (<c>alice</c>, one device),
/// all in memory: each device has its stores, session manager, pre-keys and account directory; the
/// key directory is a lookup of each device's bundles.
/// </summary>
internal sealed class BusinessWorld : IDisposable
{
    internal const string Shop = "acme-shoes";
    internal const string Customer = "alice";

    private readonly AccountKeyPair _shopKey = AccountKeyPair.Generate();
    private readonly AccountKeyPair _customerKey = AccountKeyPair.Generate();
    private readonly Dictionary<ProtocolAddress, Party> _parties = [];
    private readonly SortedDictionary<uint, DeviceEntry> _listed = [];
    private ulong _version;

    private BusinessWorld()
    {
    }

    internal Party CustomerDevice { get; private set; } = null!;

    /// <summary>The customer's account key (it signs the customer's device list and consent records).</summary>
    internal AccountKeyPair CustomerKey => _customerKey;

    internal SignedDeviceList ShopList { get; private set; } = null!;

    internal IReadOnlyCollection<uint> ListedDevices => _listed.Keys;

    internal static async Task<BusinessWorld> CreateAsync(params uint[] agents)
    {
        var world = new BusinessWorld();
        world.CustomerDevice = await CreatePartyAsync(Customer, 1, AccountKind.Person);
        SignedDeviceList customerList = SignedDeviceList.Sign(world._customerKey, new DeviceList(Customer, AccountKind.Person, 1, 1, [new DeviceEntry(1, world.CustomerDevice.Identity, "Alice's phone", DeviceRole.Agent)]));
        Assert.True((await world.CustomerDevice.Directory.ApplyAsync(Customer, customerList.ToBytes())).IsSuccess);
        world._parties.Add(world.CustomerDevice.Address, world.CustomerDevice);
        foreach (uint agent in agents)
        {
            await world.AddAgentAsync(agent, publish: false);
        }

        await world.PublishAsync();
        foreach (Party party in world._parties.Values.Where(p => p.Address.Name == Shop))
        {
            Assert.True((await party.Directory.ApplyAsync(Customer, customerList.ToBytes())).IsSuccess);
        }

        return world;
    }

    internal Party Device(uint device) => _parties[new ProtocolAddress(Shop, device)];

    internal async Task AddAgentAsync(uint device, bool publish = true, string? processor = null)
    {
        var address = new ProtocolAddress(Shop, device);
        if (!_parties.TryGetValue(address, out Party? party))
        {
            party = await CreatePartyAsync(Shop, device, AccountKind.Business);
            _parties.Add(address, party);
        }

        _listed[device] = new DeviceEntry(device, party.Identity, $"Agent {device}", processor is null ? DeviceRole.Agent : DeviceRole.Hosted, processor);
        if (publish)
        {
            await PublishAsync();
        }
    }

    internal async Task RemoveAgentAsync(uint device)
    {
        _listed.Remove(device);
        await PublishAsync();
    }

    /// <summary>Signs the next version and gives it to the customer and to every listed agent.</summary>
    internal async Task PublishAsync()
    {
        _version++;
        ShopList = SignedDeviceList.Sign(_shopKey, new DeviceList(Shop, AccountKind.Business, _version, _version, _listed.Values));
        DeviceListUpdate update = await CustomerDevice.Directory.ApplyAsync(Shop, ShopList.ToBytes());
        Assert.True(update.IsSuccess, update.ToString());
        foreach (uint device in _listed.Keys)
        {
            Assert.True((await Device(device).Directory.ApplyAsync(Shop, ShopList.ToBytes())).IsSuccess);
        }
    }

    internal FanOut FanOutOf(Party party, bool refuseHosted = false) =>
        new(party.Sessions, party.Directory, party.Address, async (address, ct) => _parties.TryGetValue(address, out Party? p) ? await p.Generator.CreateBundleAsync(ct) : null, refuseHosted);

    /// <summary>Delivers one message to its device and returns the content it decrypts to.</summary>
    internal async Task<Content> DeliverAsync(Party from, OutgoingMessage message)
    {
        Party to = _parties[message.Recipient];
        DecryptResult result = await to.Sessions.TryDecryptAsync(from.Address, message.Message);
        Assert.True(result.IsSuccess, $"{message}: {result.Failure}");
        Assert.True(Content.TryRead(result.Plaintext!, out Content? content, out E2eChatFailure failure), failure.ToString());
        return content;
    }

    public void Dispose()
    {
        foreach (Party party in _parties.Values)
        {
            party.Dispose();
        }

        _shopKey.Dispose();
        _customerKey.Dispose();
    }

    private static async Task<Party> CreatePartyAsync(string account, uint device, AccountKind kind)
    {
        var identity = IdentityKeyPair.Generate();
        ProtocolStores stores = ProtocolStores.CreateInMemory(identity);
        PreKeyGenerator generator = await stores.CreatePreKeyGeneratorAsync();
        await generator.GenerateAsync(oneTimeCount: 4);
        var address = new ProtocolAddress(account, device);
        return new Party(address, kind, identity, stores, new SessionManager(stores, address), generator, new AccountDirectory(new InMemoryAccountStore(), stores.Identities));
    }

    internal sealed record Party(ProtocolAddress Address, AccountKind Kind, IdentityKeyPair IdentityPair, ProtocolStores Stores, SessionManager Sessions, PreKeyGenerator Generator, AccountDirectory Directory) : IDisposable
    {
        internal IdentityKey Identity => IdentityPair.PublicKey;

        public void Dispose()
        {
            Sessions.Dispose();
            IdentityPair.Dispose();
        }
    }
}
