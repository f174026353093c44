using System.Buffers.Binary;
using E2eChat.Crypto;

namespace E2eChat;

/// <summary>
/// Creates our pre-keys, saves them in the stores, and assembles bundles for the key directory:
/// <see cref="GenerateAsync"/> makes a new signed pre-key and last-resort KEM pre-key (which become
/// current) plus one-time keys of both kinds, and <see cref="CreateBundleAsync"/> hands each one-time
/// key out in at most one bundle. Ids are sequential from a random start, so restarts are unlikely to
/// reuse an id. Which keys are current and unpublished is remembered by this object only. Not
/// thread-safe.
/// </summary>
public sealed class PreKeyGenerator
{
    /// <summary>The exclusive bound of the random first id (2^31), leaving room to count up.</summary>
    private const uint FirstIdBound = 1u << 31;

    private readonly IdentityKeyPair _identity;
    private readonly ISignedPreKeyStore _signedPreKeys;
    private readonly IOneTimePreKeyStore _oneTimePreKeys;
    private readonly IKemPreKeyStore _kemPreKeys;
    private readonly RandomSource _random;
    private readonly Queue<uint> _unpublishedOneTimePreKeys = new();
    private readonly Queue<uint> _unpublishedOneTimeKemPreKeys = new();
    private uint _nextSignedPreKeyId;
    private uint _nextOneTimePreKeyId;
    private uint _nextKemPreKeyId;

    /// <summary>Creates a generator for our identity and pre-key stores.</summary>
    /// <param name="identity">Our identity, which signs the pre-keys; the caller keeps ownership.</param>
    /// <param name="signedPreKeys">Where signed pre-keys are saved.</param>
    /// <param name="oneTimePreKeys">Where one-time X25519 pre-keys are saved.</param>
    /// <param name="kemPreKeys">Where ML-KEM-768 pre-keys are saved.</param>
    public PreKeyGenerator(IdentityKeyPair identity, ISignedPreKeyStore signedPreKeys, IOneTimePreKeyStore oneTimePreKeys, IKemPreKeyStore kemPreKeys)
        : this(identity, signedPreKeys, oneTimePreKeys, kemPreKeys, RandomSource.System)
    {
    }

    /// <summary>Creates a generator drawing the first ids and all key material from <paramref name="random"/>.</summary>
    internal PreKeyGenerator(IdentityKeyPair identity, ISignedPreKeyStore signedPreKeys, IOneTimePreKeyStore oneTimePreKeys, IKemPreKeyStore kemPreKeys, RandomSource random)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(signedPreKeys);
        ArgumentNullException.ThrowIfNull(oneTimePreKeys);
        ArgumentNullException.ThrowIfNull(kemPreKeys);
        ArgumentNullException.ThrowIfNull(random);
        _identity = identity;
        _signedPreKeys = signedPreKeys;
        _oneTimePreKeys = oneTimePreKeys;
        _kemPreKeys = kemPreKeys;
        _random = random;
        _nextSignedPreKeyId = RandomFirstId(random);
        _nextOneTimePreKeyId = RandomFirstId(random);
        _nextKemPreKeyId = RandomFirstId(random);
    }

    /// <summary>The id of the current signed pre-key, or 0 before <see cref="GenerateAsync"/>.</summary>
    public uint SignedPreKeyId { get; private set; }

    /// <summary>The id of the current last-resort KEM pre-key, or 0 before <see cref="GenerateAsync"/>.</summary>
    public uint LastResortKemPreKeyId { get; private set; }

    /// <summary>One-time X25519 pre-keys generated but not yet put in a bundle.</summary>
    public int UnpublishedOneTimePreKeyCount => _unpublishedOneTimePreKeys.Count;

    /// <summary>One-time KEM pre-keys generated but not yet put in a bundle.</summary>
    public int UnpublishedOneTimeKemPreKeyCount => _unpublishedOneTimeKemPreKeys.Count;

    /// <summary>
    /// Generates and saves a new signed pre-key and a new last-resort KEM pre-key (both become current;
    /// the previous ones stay in the stores for handshakes already in flight), plus
    /// <paramref name="oneTimeCount"/> one-time pre-keys of each kind.
    /// </summary>
    /// <param name="oneTimeCount">How many one-time X25519 and one-time KEM pre-keys to add (0 or more).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when every key is saved.</returns>
    public async ValueTask GenerateAsync(int oneTimeCount, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(oneTimeCount);
        using (SignedPreKey signed = SignedPreKey.Generate(_identity, NextId(ref _nextSignedPreKeyId), _random))
        {
            await _signedPreKeys.SaveSignedPreKeyAsync(signed, cancellationToken).ConfigureAwait(false);
            SignedPreKeyId = signed.Id;
        }

        using (KemPreKey lastResort = KemPreKey.Generate(_identity, NextId(ref _nextKemPreKeyId), KemPreKeyKind.LastResort, _random))
        {
            await _kemPreKeys.SaveKemPreKeyAsync(lastResort, cancellationToken).ConfigureAwait(false);
            LastResortKemPreKeyId = lastResort.Id;
        }

        await GenerateOneTimePreKeysAsync(oneTimeCount, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Generates and saves <paramref name="count"/> more one-time pre-keys of each kind (replenishing).</summary>
    /// <param name="count">How many one-time X25519 and one-time KEM pre-keys to add (0 or more).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when every key is saved.</returns>
    public async ValueTask GenerateOneTimePreKeysAsync(int count, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        for (int i = 0; i < count; i++)
        {
            using (OneTimePreKey oneTime = OneTimePreKey.Generate(NextId(ref _nextOneTimePreKeyId), _random))
            {
                await _oneTimePreKeys.SaveOneTimePreKeyAsync(oneTime, cancellationToken).ConfigureAwait(false);
                _unpublishedOneTimePreKeys.Enqueue(oneTime.Id);
            }

            using (KemPreKey oneTimeKem = KemPreKey.Generate(_identity, NextId(ref _nextKemPreKeyId), KemPreKeyKind.OneTime, _random))
            {
                await _kemPreKeys.SaveKemPreKeyAsync(oneTimeKem, cancellationToken).ConfigureAwait(false);
                _unpublishedOneTimeKemPreKeys.Enqueue(oneTimeKem.Id);
            }
        }
    }

    /// <summary>
    /// Assembles a bundle to publish: the current signed pre-key, the next unpublished one-time pre-key
    /// (none when all are used) and the next unpublished one-time KEM pre-key (the last-resort one when
    /// all are used). Each one-time key goes into at most one bundle.
    /// </summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The bundle.</returns>
    /// <exception cref="InvalidOperationException"><see cref="GenerateAsync"/> has not run, or a current key is missing from its store.</exception>
    public async ValueTask<PreKeyBundle> CreateBundleAsync(CancellationToken cancellationToken = default)
    {
        if (SignedPreKeyId == 0)
        {
            throw new InvalidOperationException("Generate the pre-keys first.");
        }

        using SignedPreKey signed = await _signedPreKeys.GetSignedPreKeyAsync(SignedPreKeyId, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException("The current signed pre-key is missing from its store.");

        OneTimePreKey? oneTime = null;
        KemPreKey? kem = null;
        try
        {
            while (oneTime is null && _unpublishedOneTimePreKeys.TryDequeue(out uint id))
            {
                oneTime = await _oneTimePreKeys.GetOneTimePreKeyAsync(id, cancellationToken).ConfigureAwait(false);
            }

            while (kem is null && _unpublishedOneTimeKemPreKeys.TryDequeue(out uint id))
            {
                kem = await _kemPreKeys.GetKemPreKeyAsync(id, cancellationToken).ConfigureAwait(false);
            }

            kem ??= await _kemPreKeys.GetKemPreKeyAsync(LastResortKemPreKeyId, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException("The current last-resort KEM pre-key is missing from its store.");
            return PreKeyBundle.Create(_identity.PublicKey, signed, oneTime, kem);
        }
        finally
        {
            oneTime?.Dispose();
            kem?.Dispose();
        }
    }

    private static uint RandomFirstId(RandomSource random)
    {
        Span<byte> bytes = stackalloc byte[sizeof(uint)];
        random.Fill(bytes);
        uint id = BinaryPrimitives.ReadUInt32BigEndian(bytes) % FirstIdBound;
        return id == 0 ? 1 : id;
    }

    private static uint NextId(ref uint counter)
    {
        uint id = counter;
        counter = unchecked(counter + 1);
        if (counter == 0)
        {
            counter = 1;
        }

        return id;
    }
}
