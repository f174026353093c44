
namespace E2eChat;

/// <summary>
/// The five stores a <see cref="SessionManager"/> works over, in one value, and optionally a
/// committer that writes an accepted first message to several of them in one transaction.
/// </summary>
public sealed class ProtocolStores
{
    /// <summary>Groups existing stores.</summary>
    /// <param name="identities">Our identity and the peers' trusted identities.</param>
    /// <param name="sessions">Session records.</param>
    /// <param name="signedPreKeys">Our signed pre-keys.</param>
    /// <param name="oneTimePreKeys">Our one-time X25519 pre-keys.</param>
    /// <param name="kemPreKeys">Our ML-KEM-768 pre-keys.</param>
    /// <param name="preKeyMessageCommitter">
    /// Commits an accepted first message (consumed one-time keys, the peer's identity, the session) in
    /// one transaction; <see langword="null"/> to commit through the stores above one after the other
    /// (PROTOCOL.md section 10.2).
    /// </param>
    public ProtocolStores(
        IIdentityStore identities,
        ISessionStore sessions,
        ISignedPreKeyStore signedPreKeys,
        IOneTimePreKeyStore oneTimePreKeys,
        IKemPreKeyStore kemPreKeys,
        IPreKeyMessageCommitter? preKeyMessageCommitter = null)
    {
        ArgumentNullException.ThrowIfNull(identities);
        ArgumentNullException.ThrowIfNull(sessions);
        ArgumentNullException.ThrowIfNull(signedPreKeys);
        ArgumentNullException.ThrowIfNull(oneTimePreKeys);
        ArgumentNullException.ThrowIfNull(kemPreKeys);
        Identities = identities;
        Sessions = sessions;
        SignedPreKeys = signedPreKeys;
        OneTimePreKeys = oneTimePreKeys;
        KemPreKeys = kemPreKeys;
        PreKeyMessageCommitter = preKeyMessageCommitter;
    }

    /// <summary>Our identity and the peers' trusted identities.</summary>
    public IIdentityStore Identities { get; }

    /// <summary>Session records.</summary>
    public ISessionStore Sessions { get; }

    /// <summary>Our signed pre-keys.</summary>
    public ISignedPreKeyStore SignedPreKeys { get; }

    /// <summary>Our one-time X25519 pre-keys.</summary>
    public IOneTimePreKeyStore OneTimePreKeys { get; }

    /// <summary>Our ML-KEM-768 pre-keys.</summary>
    public IKemPreKeyStore KemPreKeys { get; }

    /// <summary>The committer for first messages, or <see langword="null"/> when they are committed store by store.</summary>
    public IPreKeyMessageCommitter? PreKeyMessageCommitter { get; }

    /// <summary>In-memory stores around <paramref name="identity"/> (which the identity store then owns).</summary>
    /// <param name="identity">Our identity key pair.</param>
    /// <returns>Fresh in-memory stores.</returns>
    public static ProtocolStores CreateInMemory(IdentityKeyPair identity) => new(
        new InMemoryIdentityStore(identity),
        new InMemorySessionStore(),
        new InMemorySignedPreKeyStore(),
        new InMemoryOneTimePreKeyStore(),
        new InMemoryKemPreKeyStore());

    /// <summary>A pre-key generator over these stores, to create and publish bundles.</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The generator.</returns>
    public async ValueTask<PreKeyGenerator> CreatePreKeyGeneratorAsync(CancellationToken cancellationToken = default)
    {
        IdentityKeyPair identity = await Identities.GetIdentityKeyPairAsync(cancellationToken).ConfigureAwait(false);
        return new PreKeyGenerator(identity, SignedPreKeys, OneTimePreKeys, KemPreKeys);
    }
}
