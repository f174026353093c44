namespace E2eChat.Cli.Vectors;

/// <summary>A party's identity and in-memory stores, holding the pre-keys of its <see cref="PartyKeys"/>.</summary>
internal sealed class PartyStores : IDisposable
{
    private PartyStores(IdentityKeyPair identity)
    {
        Identity = identity;
        IdentityStore = new InMemoryIdentityStore(identity);
        Stores = new ProtocolStores(IdentityStore, Sessions, SignedPreKeys, OneTimePreKeys, KemPreKeys);
    }

    /// <summary>The identity key pair.</summary>
    internal IdentityKeyPair Identity { get; }

    /// <summary>The identity store (trusts every identity on first use).</summary>
    internal InMemoryIdentityStore IdentityStore { get; }

    /// <summary>The session store.</summary>
    internal InMemorySessionStore Sessions { get; } = new();

    /// <summary>The signed pre-keys.</summary>
    internal InMemorySignedPreKeyStore SignedPreKeys { get; } = new();

    /// <summary>The one-time pre-keys.</summary>
    internal InMemoryOneTimePreKeyStore OneTimePreKeys { get; } = new();

    /// <summary>The KEM pre-keys.</summary>
    internal InMemoryKemPreKeyStore KemPreKeys { get; } = new();

    /// <summary>All stores together (for a session manager).</summary>
    internal ProtocolStores Stores { get; }

    /// <summary>Builds the identity and stores the party's pre-keys, if it has any.</summary>
    internal static async ValueTask<PartyStores> CreateAsync(PartyKeys keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var stores = new PartyStores(keys.CreateIdentity());
        if (keys.HasPreKeys)
        {
            using SignedPreKey signedPreKey = keys.CreateSignedPreKey(stores.Identity);
            using OneTimePreKey? oneTimePreKey = keys.CreateOneTimePreKey();
            using KemPreKey kemPreKey = keys.CreateKemPreKey(stores.Identity);
            await stores.SignedPreKeys.SaveSignedPreKeyAsync(signedPreKey).ConfigureAwait(false);
            if (oneTimePreKey is not null)
            {
                await stores.OneTimePreKeys.SaveOneTimePreKeyAsync(oneTimePreKey).ConfigureAwait(false);
            }

            await stores.KemPreKeys.SaveKemPreKeyAsync(kemPreKey).ConfigureAwait(false);
        }

        return stores;
    }

    /// <summary>Wipes the keys.</summary>
    public void Dispose()
    {
        Sessions.Dispose();
        SignedPreKeys.Dispose();
        OneTimePreKeys.Dispose();
        KemPreKeys.Dispose();
        Identity.Dispose();
    }
}
