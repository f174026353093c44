using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using E2eChat.Crypto;
using E2eChat.Ratchet;
using E2eChat.Wire;
using E2eChat.Storage.Proto;
using Google.Protobuf;
using Key = NSec.Cryptography.Key;

namespace E2eChat;

/// <summary>
/// A sender's key for one audience (PROTOCOL.md section 7): business updates to subscribers, or a
/// 24-hour status to contacts. Each post is encrypted and signed once, and the same message goes to
/// every member; each member got the key in a <c>SenderKeyDistribution</c> sent through its pairwise
/// session. When a member leaves, <see cref="Rotate"/> and send the new distribution only to the
/// remaining members.
/// </summary>
/// <remarks>
/// Holds the distribution id, the current generation's chain id, iteration and chain key, and its
/// Ed25519 signing key. Persist the state (<see cref="Serialize"/>) after every encryption and before
/// the post leaves the device: a state restored from before an encryption would reuse that
/// iteration's key for a different post. Store it under (own address, <see cref="DistributionId"/>).
/// Not thread-safe. When several workers or processes post for one audience, none may keep its own
/// instance: each post goes through <see cref="EncryptAsync"/>, which loads the stored state, encrypts
/// and releases the post only once the advanced state is stored by compare-and-swap (PROTOCOL.md
/// section 10.1), so no iteration is ever used for two posts.
/// </remarks>
public sealed class GroupSender : IDisposable
{
    private const byte BodyTag = (3 << 3) | 2;
    private const int KeyLength = ChainKdf.KeyLength;

    private readonly byte[] _distributionId;
    private readonly SecretBuffer _chainKey = new(KeyLength);
    private readonly byte[] _signingPublicKey = new byte[Ed25519.PublicKeyLength];
    private readonly RandomSource _random;
    private Key _signingKey;
    private bool _disposed;

    private GroupSender(DistributionId distributionId, uint chainId, uint iteration, Key signingKey, RandomSource random)
    {
        DistributionId = distributionId;
        _distributionId = distributionId.ToArray();
        ChainId = chainId;
        Iteration = iteration;
        _signingKey = signingKey;
        _random = random;
        Ed25519.GetPublicKey(signingKey, _signingPublicKey);
    }

    /// <summary>The audience's distribution id (the same for every generation).</summary>
    public DistributionId DistributionId { get; }

    /// <summary>The current generation's chain id (nonzero; new on every rotation).</summary>
    public uint ChainId { get; private set; }

    /// <summary>The iteration the next post will carry.</summary>
    public uint Iteration { get; private set; }

    /// <summary>The current generation's signing public key, for tests.</summary>
    internal ReadOnlySpan<byte> SigningPublicKey => _signingPublicKey;

    /// <summary>
    /// Creates a new distribution: 16 random bytes of distribution id, a random nonzero chain id, a
    /// random chain key at iteration 0, and a fresh Ed25519 signing key.
    /// </summary>
    /// <returns>The sender state, which the caller disposes.</returns>
    public static GroupSender Create() => Create(RandomSource.System);

    /// <summary>Creates a new distribution from <paramref name="random"/> (drawn in the order of PROTOCOL.md section 7).</summary>
    /// <param name="random">The randomness source, kept for rotations.</param>
    /// <returns>The sender state.</returns>
    internal static GroupSender Create(RandomSource random)
    {
        ArgumentNullException.ThrowIfNull(random);
        return Create(DistributionId.Create(random), random);
    }

    /// <summary>
    /// Creates this device's sender state for an audience whose distribution id is already chosen (a
    /// group every member posts to under one id, as libsignal's groups do): a random nonzero chain id,
    /// a random chain key at iteration 0 and a fresh Ed25519 signing key, drawn in the order of
    /// PROTOCOL.md section 7 after the distribution id.
    /// </summary>
    /// <param name="distributionId">The audience's id (random, shared by every member's sender state for it).</param>
    /// <returns>The sender state, which the caller disposes.</returns>
    public static GroupSender Create(DistributionId distributionId) => Create(distributionId, RandomSource.System);

    /// <summary>Creates a sender state for <paramref name="distributionId"/> from <paramref name="random"/>.</summary>
    private static GroupSender Create(DistributionId distributionId, RandomSource random)
    {
        ArgumentNullException.ThrowIfNull(random);
        uint chainId = DrawChainId(random, 0);
        Span<byte> chainKey = stackalloc byte[KeyLength];
        try
        {
            random.Fill(chainKey);
            var sender = new GroupSender(distributionId, chainId, 0, Ed25519.GenerateKey(random), random);
            chainKey.CopyTo(sender._chainKey.WritableSpan);
            return sender;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(chainKey);
        }
    }

    /// <summary>
    /// Encodes the <c>SenderKeyDistribution</c> of the current generation at the current iteration,
    /// to be sent to each member through its pairwise session. A member who receives it can open
    /// every later post of this generation, not the earlier ones.
    /// </summary>
    /// <returns>The encoded message in library-owned memory (it holds the chain key); dispose it once it is encrypted.</returns>
    /// <exception cref="E2eChatException">The chain is exhausted (<see cref="E2eChatFailure.ChainExhausted"/>): rotate first.</exception>
    /// <exception cref="ObjectDisposedException">The state was disposed.</exception>
    public SecretBuffer CreateDistributionMessage()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (Iteration > ProtocolLimits.MaxChainCounter)
        {
            throw new E2eChatException(E2eChatFailure.ChainExhausted);
        }

        var message = new SecretBuffer(SenderKeyDistributionFields.GetEncodedLength(ChainId, Iteration));
        SenderKeyDistributionFields.Write(_distributionId, ChainId, Iteration, _chainKey.Span, _signingPublicKey, message.WritableSpan);
        return message;
    }

    /// <summary>The encoded length of the next post (<see cref="Iteration"/>) of <paramref name="plaintextLength"/> bytes.</summary>
    /// <param name="plaintextLength">0 to <see cref="ProtocolLimits.MaxPlaintextLength"/>.</param>
    /// <param name="expiresAtMilliseconds">The post's expiry, 0 for none.</param>
    /// <returns>The length of the <c>SenderKeyMessage</c>.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The plaintext length is negative or above the maximum.</exception>
    public int GetMessageLength(int plaintextLength, ulong expiresAtMilliseconds) =>
        SenderKeyMessageFields.GetEncodedLength(ChainId, Iteration, expiresAtMilliseconds, Padding.GetPaddedLength(plaintextLength) + Aead.TagLength);

    /// <summary>
    /// Encrypts and signs one post (PROTOCOL.md section 7) into a caller-provided buffer, and moves the
    /// chain on by one iteration.
    /// </summary>
    /// <param name="plaintext">At most <see cref="ProtocolLimits.MaxPlaintextLength"/> bytes; must not overlap <paramref name="destination"/>.</param>
    /// <param name="expiresAtMilliseconds">
    /// When the post expires, milliseconds since the Unix epoch, or 0 for never. It is signed; receivers
    /// refuse the post from then on. A status post uses its creation time plus
    /// <see cref="ProtocolLimits.StatusLifetimeMilliseconds"/>.
    /// </param>
    /// <param name="destination">At least <see cref="GetMessageLength"/> bytes; receives the encoded <c>SenderKeyMessage</c>.</param>
    /// <param name="bytesWritten">The length written.</param>
    /// <param name="failure">Why encryption failed, or <see cref="E2eChatFailure.None"/>.</param>
    /// <returns><see langword="true"/> when the post was encrypted.</returns>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too small or overlaps <paramref name="plaintext"/>.</exception>
    /// <exception cref="ObjectDisposedException">The state was disposed.</exception>
    public bool TryEncrypt(ReadOnlySpan<byte> plaintext, ulong expiresAtMilliseconds, Span<byte> destination, out int bytesWritten, out E2eChatFailure failure)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        bytesWritten = 0;
        failure = CheckCanEncrypt(plaintext.Length);
        if (failure != E2eChatFailure.None)
        {
            return false;
        }

        int ciphertextLength = Padding.GetPaddedLength(plaintext.Length) + Aead.TagLength;
        int length = SenderKeyMessageFields.GetEncodedLength(ChainId, Iteration, expiresAtMilliseconds, ciphertextLength);
        Error.CheckMinimumLength(destination, length, nameof(destination));
        Error.CheckNoOverlap(destination, plaintext, nameof(destination), nameof(plaintext));

        Span<byte> output = destination[..length];
        Span<byte> messageKey = stackalloc byte[KeyLength];
        Span<byte> nextChainKey = stackalloc byte[KeyLength];
        Span<byte> header = stackalloc byte[SenderKeyMessageFields.HeaderLength];
        int signedLength = SenderKeyMessageFields.HeaderLength + ciphertextLength;
        byte[] signed = ArrayPool<byte>.Shared.Rent(signedLength);
        try
        {
            ChainKdf.Advance(_chainKey.Span, messageKey, nextChainKey);
            SenderKeyMessageFields.WriteHeader(_distributionId, ChainId, Iteration, expiresAtMilliseconds, header);
            Span<byte> signature = SenderKeyMessageFields.Write(_distributionId, ChainId, Iteration, expiresAtMilliseconds, output, ciphertextLength, out Span<byte> ciphertext);
            SenderKeyCipher.Encrypt(messageKey, header, plaintext, ciphertext);
            Span<byte> signedBody = signed.AsSpan(0, signedLength);
            header.CopyTo(signedBody);
            ciphertext.CopyTo(signedBody[SenderKeyMessageFields.HeaderLength..]);
            Ed25519.Sign(_signingKey, ProtocolLabels.SenderKeyMessage, signedBody, signature);

            nextChainKey.CopyTo(_chainKey.WritableSpan);
            Iteration++;
            bytesWritten = length;
            return true;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(messageKey);
            CryptographicOperations.ZeroMemory(nextChainKey);
            ArrayPool<byte>.Shared.Return(signed);
        }
    }

    /// <summary>Encrypts and signs one post into a <see cref="CiphertextMessage"/> of type <see cref="EnvelopeType.SenderKey"/>.</summary>
    /// <param name="plaintext">At most <see cref="ProtocolLimits.MaxPlaintextLength"/> bytes.</param>
    /// <param name="expiresAtMilliseconds">When the post expires (signed), or 0 for never.</param>
    /// <param name="message">The message to put in an envelope to each member, or <see langword="null"/>.</param>
    /// <param name="failure">Why encryption failed, or <see cref="E2eChatFailure.None"/>.</param>
    /// <returns><see langword="true"/> when the post was encrypted.</returns>
    /// <exception cref="ObjectDisposedException">The state was disposed.</exception>
    public bool TryEncrypt(ReadOnlySpan<byte> plaintext, ulong expiresAtMilliseconds, [NotNullWhen(true)] out CiphertextMessage? message, out E2eChatFailure failure)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        message = null;
        failure = CheckCanEncrypt(plaintext.Length);
        if (failure != E2eChatFailure.None)
        {
            return false;
        }

        int length = GetMessageLength(plaintext.Length, expiresAtMilliseconds);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            if (!TryEncrypt(plaintext, expiresAtMilliseconds, buffer.AsSpan(0, length), out int written, out failure))
            {
                return false;
            }

            message = new CiphertextMessage(EnvelopeType.SenderKey, buffer.AsSpan(0, written));
            return true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Encrypts and signs one post; see <see cref="TryEncrypt(ReadOnlySpan{byte}, ulong, out CiphertextMessage, out E2eChatFailure)"/>.</summary>
    /// <param name="plaintext">At most <see cref="ProtocolLimits.MaxPlaintextLength"/> bytes.</param>
    /// <param name="expiresAtMilliseconds">When the post expires (signed), or 0 for never.</param>
    /// <returns>The message to put in an envelope to each member.</returns>
    /// <exception cref="E2eChatException">The post cannot be encrypted (<see cref="E2eChatFailure"/>).</exception>
    /// <exception cref="ObjectDisposedException">The state was disposed.</exception>
    public CiphertextMessage Encrypt(ReadOnlySpan<byte> plaintext, ulong expiresAtMilliseconds) =>
        TryEncrypt(plaintext, expiresAtMilliseconds, out CiphertextMessage? message, out E2eChatFailure failure)
            ? message
            : throw new E2eChatException(failure);

    /// <summary>
    /// Encrypts and signs one post with the sender state stored in <paramref name="store"/> under
    /// <paramref name="name"/> (our own address and the distribution id), safely against other workers
    /// posting from the same state: the state is loaded, the post encrypted, and the advanced state
    /// stored by compare-and-swap against the version loaded; only then is the post returned. When
    /// another worker stored first, the post is discarded and made again from the new state.
    /// </summary>
    /// <param name="store">Where the sender state is stored (created with <see cref="ISenderKeyStore.TryStoreSenderKeyAsync"/>, expected version 0).</param>
    /// <param name="name">Our own address and the distribution id.</param>
    /// <param name="plaintext">At most <see cref="ProtocolLimits.MaxPlaintextLength"/> bytes.</param>
    /// <param name="expiresAtMilliseconds">When the post expires (signed), or 0 for never.</param>
    /// <param name="cancellationToken">Cancels the operation (before the state is stored).</param>
    /// <returns>The message to put in an envelope to each member.</returns>
    /// <exception cref="E2eChatException">
    /// No state is stored under <paramref name="name"/> (<see cref="E2eChatFailure.UnknownSenderKey"/>),
    /// it does not load (<see cref="E2eChatFailure"/>), the post cannot be encrypted
    /// (<see cref="E2eChatFailure"/>), or other writers won
    /// <see cref="ProtocolLimits.MaxCommitAttempts"/> times (<see cref="E2eChatFailure.StoreConflict"/>).
    /// </exception>
    public static async ValueTask<CiphertextMessage> EncryptAsync(
        ISenderKeyStore store,
        SenderKeyName name,
        ReadOnlyMemory<byte> plaintext,
        ulong expiresAtMilliseconds,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        for (int attempt = 0; attempt < ProtocolLimits.MaxCommitAttempts; attempt++)
        {
            VersionedRecord stored = await store.LoadSenderKeyAsync(name, 0, cancellationToken).ConfigureAwait(false);
            if (stored.Record is null)
            {
                throw new E2eChatException(E2eChatFailure.UnknownSenderKey);
            }

            GroupSender sender;
            try
            {
                sender = Deserialize(stored.Record);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(stored.Record);
            }

            using (sender)
            {
                CiphertextMessage message = sender.Encrypt(plaintext.Span, expiresAtMilliseconds);
                byte[] serialized = sender.Serialize();
                try
                {
                    if (await store.TryStoreSenderKeyAsync(name, serialized, stored.Version, CancellationToken.None).ConfigureAwait(false) != 0)
                    {
                        return message;
                    }
                }
                finally
                {
                    CryptographicOperations.ZeroMemory(serialized);
                }

                // Another worker posted first: this post is never released; its iteration is theirs.
            }
        }

        throw new E2eChatException(E2eChatFailure.StoreConflict);
    }

    /// <summary>
    /// Starts a new generation (on member removal): a new random chain id (nonzero and different from
    /// the current one), a new random chain key at iteration 0 and a new signing key; the distribution
    /// id stays. Send <see cref="CreateDistributionMessage"/> to the remaining members only: the removed
    /// member cannot open posts of the new generation.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The state was disposed.</exception>
    public void Rotate()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        uint chainId = DrawChainId(_random, ChainId);
        Span<byte> chainKey = stackalloc byte[KeyLength];
        try
        {
            _random.Fill(chainKey);
            Key signingKey = Ed25519.GenerateKey(_random);
            _signingKey.Dispose();
            _signingKey = signingKey;
            Ed25519.GetPublicKey(signingKey, _signingPublicKey);
            chainKey.CopyTo(_chainKey.WritableSpan);
            ChainId = chainId;
            Iteration = 0;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(chainKey);
        }
    }

    /// <summary>
    /// Serializes the state (<c>GroupSenderFile</c> of <c>storage.proto</c>). The output holds the chain
    /// key and the signing key's seed: seal it (<see cref="SealedState"/>) or keep it in protected
    /// storage, and wipe the array when done.
    /// </summary>
    /// <returns>The canonical encoding.</returns>
    /// <exception cref="ObjectDisposedException">The state was disposed.</exception>
    public byte[] Serialize()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var secrets = new ProtobufSecrets();
        using SecretBuffer seed = Ed25519.ExportSeed(_signingKey);
        var data = new GroupSenderData
        {
            DistributionId = ByteString.CopyFrom(_distributionId),
            ChainId = ChainId,
            Iteration = Iteration,
            ChainKey = secrets.Wrap(_chainKey.Span),
            SigningKeySeed = secrets.Wrap(seed.Span),
        };
        return new GroupSenderFile { FormatVersion = StoredRecordFrame.FormatVersion, Sender = data }.ToByteArray();
    }

    /// <summary>
    /// Loads a state written by <see cref="Serialize"/>. Only the canonical encoding loads; never throws
    /// for corrupt input.
    /// </summary>
    /// <param name="serialized">The stored bytes.</param>
    /// <param name="sender">The state, or <see langword="null"/> on failure.</param>
    /// <param name="failure">Why loading failed, or <see cref="E2eChatFailure.None"/>.</param>
    /// <returns><see langword="true"/> when the state loaded.</returns>
    public static bool TryDeserialize(ReadOnlySpan<byte> serialized, [NotNullWhen(true)] out GroupSender? sender, out E2eChatFailure failure) =>
        TryDeserialize(serialized, RandomSource.System, out sender, out failure);

    /// <summary>Loads a state whose future rotations draw from <paramref name="random"/>.</summary>
    /// <param name="serialized">The stored bytes.</param>
    /// <param name="random">The randomness source.</param>
    /// <param name="sender">The state, or <see langword="null"/> on failure.</param>
    /// <param name="failure">Why loading failed, or <see cref="E2eChatFailure.None"/>.</param>
    /// <returns><see langword="true"/> when the state loaded.</returns>
    internal static bool TryDeserialize(ReadOnlySpan<byte> serialized, RandomSource random, [NotNullWhen(true)] out GroupSender? sender, out E2eChatFailure failure)
    {
        ArgumentNullException.ThrowIfNull(random);
        return StoredRecordFrame.TryLoad(serialized, BodyTag, GroupSenderData.Parser, new Loader(random), out sender, out failure);
    }

    /// <summary>Loads a state; see <see cref="TryDeserialize(ReadOnlySpan{byte}, out GroupSender, out E2eChatFailure)"/>.</summary>
    /// <param name="serialized">The stored bytes.</param>
    /// <returns>The state, which the caller disposes.</returns>
    /// <exception cref="E2eChatException">The bytes do not load (<see cref="E2eChatFailure"/>).</exception>
    public static GroupSender Deserialize(ReadOnlySpan<byte> serialized) =>
        TryDeserialize(serialized, out GroupSender? sender, out E2eChatFailure failure)
            ? sender
            : throw new E2eChatException(failure);

    /// <summary>Wipes the chain key and releases the signing key.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _chainKey.Dispose();
        _signingKey.Dispose();
    }

    /// <summary>A random nonzero chain id different from <paramref name="current"/>: <c>u32be</c> of 4 random bytes, drawn again until it is.</summary>
    private static uint DrawChainId(RandomSource random, uint current)
    {
        Span<byte> bytes = stackalloc byte[sizeof(uint)];
        uint chainId;
        do
        {
            random.Fill(bytes);
            chainId = BinaryPrimitives.ReadUInt32BigEndian(bytes);
        }
        while (chainId == 0 || chainId == current);
        return chainId;
    }

    /// <summary>Loads this record type for <see cref="StoredRecordFrame.TryLoad"/>; its states draw from <paramref name="random"/>.</summary>
    /// <param name="random">The randomness source for the loaded state.</param>
    private readonly struct Loader(RandomSource random) : IStoredRecordLoader<GroupSenderData, GroupSender>
    {
        public GroupSender? FromData(GroupSenderData data) => GroupSender.FromData(data, random);

        public byte[] Serialize(GroupSender record) => record.Serialize();
    }

    private static GroupSender? FromData(GroupSenderData data, RandomSource random)
    {
        try
        {
            if (data.DistributionId.Length != DistributionId.Length
                || data.ChainId == 0
                || data.ChainKey.Length != KeyLength
                || data.SigningKeySeed.Length != Ed25519.SeedLength)
            {
                return null;
            }

            var sender = new GroupSender(new DistributionId(data.DistributionId.Span), data.ChainId, data.Iteration, Ed25519.ImportSeed(data.SigningKeySeed.Span), random);
            data.ChainKey.Span.CopyTo(sender._chainKey.WritableSpan);
            return sender;
        }
        finally
        {
            ProtobufSecrets.Wipe(data.ChainKey);
            ProtobufSecrets.Wipe(data.SigningKeySeed);
        }
    }

    private E2eChatFailure CheckCanEncrypt(int plaintextLength)
    {
        if (plaintextLength > ProtocolLimits.MaxPlaintextLength)
        {
            return E2eChatFailure.PlaintextTooLong;
        }

        return Iteration > ProtocolLimits.MaxChainCounter ? E2eChatFailure.ChainExhausted : E2eChatFailure.None;
    }
}
