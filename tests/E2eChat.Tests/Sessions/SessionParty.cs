
namespace E2eChat.Tests.Sessions;

/// <summary>One device with in-memory stores, a session manager and published pre-keys.</summary>
internal sealed class SessionParty : IDisposable
{
    private SessionParty(ProtocolAddress address, ProtocolStores stores, PreKeyGenerator generator)
    {
        Address = address;
        Stores = stores;
        Generator = generator;
        Manager = new SessionManager(stores, address);
    }

    internal ProtocolAddress Address { get; }

    internal ProtocolStores Stores { get; }

    internal PreKeyGenerator Generator { get; }

    internal SessionManager Manager { get; private set; }

    internal InMemorySessionStore SessionStore => (InMemorySessionStore)Stores.Sessions;

    /// <summary>What the stores hold, to check that a refused message wrote nothing.</summary>
    internal (int Sessions, int OneTimePreKeys, int KemPreKeys, int Identities) Counts() => (
        SessionStore.Count,
        ((InMemoryOneTimePreKeyStore)Stores.OneTimePreKeys).Count,
        ((InMemoryKemPreKeyStore)Stores.KemPreKeys).Count,
        ((InMemoryIdentityStore)Stores.Identities).Count);

    internal static async Task<SessionParty> CreateAsync(string name, uint device = 1, int oneTimeKeys = 5)
    {
        var stores = ProtocolStores.CreateInMemory(IdentityKeyPair.Generate());
        PreKeyGenerator generator = await stores.CreatePreKeyGeneratorAsync();
        await generator.GenerateAsync(oneTimeKeys);
        return new SessionParty(new ProtocolAddress(name, device), stores, generator);
    }

    /// <summary>Simulates an app restart: a new manager over the same stores.</summary>
    internal void Restart()
    {
        Manager.Dispose();
        Manager = new SessionManager(Stores, Address);
    }

    internal async Task<byte[]?> StoredRecordAsync(ProtocolAddress peer) => (await Stores.Sessions.LoadSessionAsync(peer)).Record;

    public void Dispose() => Manager.Dispose();
}
