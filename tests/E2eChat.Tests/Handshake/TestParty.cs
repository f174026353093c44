using E2eChat.Crypto;
using E2eChat.Handshake;

namespace E2eChat.Tests.Handshake;

/// <summary>One party of a test: identity, in-memory stores, pre-keys, deterministic randomness.</summary>
internal sealed class TestParty : IDisposable
{
    private TestParty(string name, DeterministicRandomSource random)
    {
        Random = random;
        Address = new ProtocolAddress(name, 1);
        Identity = IdentityKeyPair.Generate(random);
        IdentityStore = new InMemoryIdentityStore(Identity);
        Generator = new PreKeyGenerator(Identity, SignedPreKeys, OneTimePreKeys, KemPreKeys, random);
        Stores = new ProtocolStores(IdentityStore, Sessions, SignedPreKeys, OneTimePreKeys, KemPreKeys);
    }

    /// <summary>The address of every responder in these tests (parties named "bob", device 1).</summary>
    internal static ProtocolAddress ResponderAddress { get; } = new("bob", 1);

    internal DeterministicRandomSource Random { get; }

    internal ProtocolAddress Address { get; }

    internal IdentityKeyPair Identity { get; }

    internal InMemoryIdentityStore IdentityStore { get; }

    internal InMemorySignedPreKeyStore SignedPreKeys { get; } = new();

    internal InMemoryOneTimePreKeyStore OneTimePreKeys { get; } = new();

    internal InMemoryKemPreKeyStore KemPreKeys { get; } = new();

    internal InMemorySessionStore Sessions { get; } = new();

    internal ProtocolStores Stores { get; }

    internal PreKeyGenerator Generator { get; }

    internal static async Task<TestParty> CreateAsync(string name, ulong seed, int oneTimeCount = 3)
    {
        var party = new TestParty(name, TestRandom.FromSeed(seed));
        await party.Generator.GenerateAsync(oneTimeCount);
        return party;
    }

    /// <summary>A bundle with or without a one-time pre-key, with a one-time or the last-resort KEM pre-key.</summary>
    internal async Task<PreKeyBundle> BundleAsync(bool withOneTimePreKey, bool withOneTimeKemPreKey)
    {
        using SignedPreKey signed = (await SignedPreKeys.GetSignedPreKeyAsync(Generator.SignedPreKeyId))!;
        using OneTimePreKey? oneTime = withOneTimePreKey ? await OneTimePreKeys.GetOneTimePreKeyAsync(OneTimePreKeys.Ids[0]) : null;
        uint kemId = withOneTimeKemPreKey
            ? KemPreKeys.Ids.First(id => id != Generator.LastResortKemPreKeyId)
            : Generator.LastResortKemPreKeyId;
        using KemPreKey kem = (await KemPreKeys.GetKemPreKeyAsync(kemId))!;
        return PreKeyBundle.Create(Identity.PublicKey, signed, oneTime, kem);
    }

    internal ValueTask<(E2eChatFailure Failure, ResponderHandshakeResult? Result)> AcceptAsync(
        ProtocolAddress from, E2eChat.Wire.Proto.PreKeyMessage message, HandshakeTranscript? transcript = null) =>
        ResponderHandshake.AcceptAsync(Identity, Address, from, message, IdentityStore, SignedPreKeys, OneTimePreKeys, KemPreKeys, transcript);

    /// <summary>Commits an accepted handshake with a placeholder session record (the record's content does not matter here).</summary>
    internal async ValueTask<PreKeyMessageCommitResult> CommitAsync(PreKeyConsumption consumption)
    {
        VersionedRecord current = await Sessions.LoadSessionAsync(consumption.Address);
        return (await consumption.CommitAsync(Stores, new byte[] { 1, 2, 3 }, current.Version, CancellationToken.None)).Result;
    }

    /// <summary>How many records each store holds, to check that nothing was written.</summary>
    internal (int Identities, int Signed, int OneTime, int Kem) StoreCounts() =>
        (IdentityStore.Count, SignedPreKeys.Count, OneTimePreKeys.Count, KemPreKeys.Count);

    public void Dispose()
    {
        Sessions.Dispose();
        SignedPreKeys.Dispose();
        OneTimePreKeys.Dispose();
        KemPreKeys.Dispose();
        Identity.Dispose();
        Random.Dispose();
    }
}
