using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using E2eChat.Crypto;
using E2eChat.Storage.Proto;
using Google.Protobuf;

namespace E2eChat.Ratchet;

/// <summary>
/// One Double Ratchet session state with header encryption (PROTOCOL.md section 5): our ratchet key
/// pair, the peer's ratchet key, root, chain and header keys, counters, the associated data, the
/// skipped message keys and the receiver-chain history.
/// </summary>
/// <remarks>
/// Decryption is transactional: everything a message would change (new chain keys, a DH ratchet
/// step, skipped keys to store, a skipped key to delete, the receiver-chain history) is computed
/// into scratch memory first, and written to the state only after the payload authenticates and
/// unpads. A failed decryption leaves the state, and so its serialized form, exactly as it was.
/// Secrets live in one pinned buffer wiped on <see cref="Dispose"/>; temporaries are on the stack
/// and wiped before returning. Not thread-safe: one caller at a time.
/// </remarks>
internal sealed class RatchetState : IDisposable
{
    /// <summary>Length of ratchet keys, root, chain, header and message keys in bytes.</summary>
    internal const int KeyLength = 32;

    /// <summary>Length of the associated data <c>IK_A || IK_B || SID</c> in bytes.</summary>
    internal const int AssociatedDataLength = 288;

    /// <summary>Length of an encrypted header in bytes.</summary>
    internal const int EncryptedHeaderLength = HeaderCipher.EncryptedLength;

    // Layout of _secrets.
    private const int SendingRatchetPrivateOffset = 0;
    private const int RootKeyOffset = 1 * KeyLength;
    private const int SendingChainKeyOffset = 2 * KeyLength;
    private const int ReceivingChainKeyOffset = 3 * KeyLength;
    private const int SendingHeaderKeyOffset = 4 * KeyLength;
    private const int ReceivingHeaderKeyOffset = 5 * KeyLength;
    private const int NextSendingHeaderKeyOffset = 6 * KeyLength;
    private const int NextReceivingHeaderKeyOffset = 7 * KeyLength;
    private const int AssociatedDataOffset = 8 * KeyLength;
    private const int SecretsLength = AssociatedDataOffset + AssociatedDataLength;

    // Layout of the scratch memory a decryption computes its changes into.
    private const int PendingRootKey = 0;
    private const int PendingReceivingChainKey = 1 * KeyLength;
    private const int PendingNextReceivingHeaderKey = 2 * KeyLength;
    private const int PendingSendingPrivate = 3 * KeyLength;
    private const int PendingSendingPublic = 4 * KeyLength;
    private const int PendingSendingChainKey = 5 * KeyLength;
    private const int PendingNextSendingHeaderKey = 6 * KeyLength;
    private const int PendingRatchetKey = 7 * KeyLength;
    private const int PendingDhOutput = 8 * KeyLength;
    private const int PendingLength = 9 * KeyLength;

    /// <summary>
    /// Skipped keys a decryption derives before it knows whether the message is authentic. Only the
    /// newest <see cref="ProtocolLimits.MaxSkippedMessageKeys"/> can survive the commit, so that is
    /// all this holds. Per thread, wiped after every decryption.
    /// </summary>
    [ThreadStatic]
    private static SkippedMessageKeys? t_staging;

    private readonly SecretBuffer _secrets = new(SecretsLength);
    private readonly byte[] _sendingRatchetPublic = new byte[KeyLength];
    private readonly byte[] _receivingRatchetKey = new byte[KeyLength];
    private readonly ReceiverChainHistory _history = new();
    private readonly SkippedMessageKeys _skipped = new();
    private readonly RandomSource _random;
    private bool _hasReceivingRatchetKey;
    private bool _hasSendingChain;
    private bool _hasReceivingChain;
    private uint _sendingCounter;
    private uint _receivingCounter;
    private uint _previousSendingCounter;
    private bool _disposed;

    private RatchetState(RandomSource random)
    {
        _random = random;
    }

    private enum PlanKind
    {
        UseSkippedKey,
        AdvanceReceivingChain,
        NewReceivingChain,
    }

    /// <summary>Whether a sending chain exists (false only for a responder before its first received message).</summary>
    internal bool CanEncrypt
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _hasSendingChain;
        }
    }

    /// <summary>Ns: the counter the next encrypted message will carry.</summary>
    internal uint SendingCounter => _sendingCounter;

    /// <summary>Nr: the next expected counter of the current receiving chain.</summary>
    internal uint ReceivingCounter => _receivingCounter;

    /// <summary>PN: the length of our previous sending chain.</summary>
    internal uint PreviousSendingCounter => _previousSendingCounter;

    /// <summary>The number of skipped message keys held.</summary>
    internal int SkippedMessageKeyCount => _skipped.Count;

    /// <summary>The number of receiving chains remembered, the current one included.</summary>
    internal int ReceiverChainCount => (_hasReceivingChain ? 1 : 0) + _history.Count;

    /// <summary>Our current ratchet public key (DHs.pub).</summary>
    internal ReadOnlySpan<byte> SendingRatchetKey => _sendingRatchetPublic;

    /// <summary>Test instrumentation; <see langword="null"/> outside tests.</summary>
    internal IRatchetKeyObserver? KeyObserver { get; set; }

    private Span<byte> SendingRatchetPrivate => Secret(SendingRatchetPrivateOffset, KeyLength);

    private Span<byte> RootKey => Secret(RootKeyOffset, KeyLength);

    private Span<byte> SendingChainKey => Secret(SendingChainKeyOffset, KeyLength);

    private Span<byte> ReceivingChainKey => Secret(ReceivingChainKeyOffset, KeyLength);

    private Span<byte> SendingHeaderKey => Secret(SendingHeaderKeyOffset, KeyLength);

    private Span<byte> ReceivingHeaderKey => Secret(ReceivingHeaderKeyOffset, KeyLength);

    private Span<byte> NextSendingHeaderKey => Secret(NextSendingHeaderKeyOffset, KeyLength);

    private Span<byte> NextReceivingHeaderKey => Secret(NextReceivingHeaderKeyOffset, KeyLength);

    private Span<byte> AssociatedData => Secret(AssociatedDataOffset, AssociatedDataLength);

    private static SkippedMessageKeys Staging => t_staging ??= new SkippedMessageKeys();

    /// <summary>
    /// Initializes the initiator's state (PROTOCOL.md section 5.3) from the handshake outputs:
    /// a fresh ratchet key pair, the peer's signed pre-key as its first ratchet key, and one root-key
    /// step that creates the sending chain.
    /// </summary>
    /// <param name="rootKey">RK0 (32 bytes).</param>
    /// <param name="initiatorHeaderKey">HKA (32 bytes): our first sending header key.</param>
    /// <param name="responderNextHeaderKey">NHKB (32 bytes): our first next-receiving header key.</param>
    /// <param name="associatedData">AD (288 bytes).</param>
    /// <param name="peerSignedPreKeyPublic">The responder's signed pre-key (32 bytes, already validated).</param>
    /// <param name="random">Where ratchet keys and header nonces come from.</param>
    /// <returns>The new state; the caller disposes it.</returns>
    /// <exception cref="ArgumentException">A length is wrong or the signed pre-key is not a usable X25519 key.</exception>
    internal static RatchetState InitializeInitiator(
        ReadOnlySpan<byte> rootKey,
        ReadOnlySpan<byte> initiatorHeaderKey,
        ReadOnlySpan<byte> responderNextHeaderKey,
        ReadOnlySpan<byte> associatedData,
        ReadOnlySpan<byte> peerSignedPreKeyPublic,
        RandomSource random)
    {
        CheckInitialSecrets(rootKey, initiatorHeaderKey, responderNextHeaderKey, associatedData, random);
        if (X25519.ValidatePublicKey(peerSignedPreKeyPublic) != KeyAgreementFailure.None)
        {
            throw new ArgumentException("The signed pre-key is not a usable X25519 public key.", nameof(peerSignedPreKeyPublic));
        }

        var state = new RatchetState(random);
        Span<byte> dh = stackalloc byte[KeyLength];
        try
        {
            X25519.GenerateKeyPair(random, state.SendingRatchetPrivate, state._sendingRatchetPublic);
            peerSignedPreKeyPublic.CopyTo(state._receivingRatchetKey);
            state._hasReceivingRatchetKey = true;
            if (X25519.Agree(state.SendingRatchetPrivate, peerSignedPreKeyPublic, dh) != KeyAgreementFailure.None)
            {
                throw new ArgumentException("The signed pre-key is not a usable X25519 public key.", nameof(peerSignedPreKeyPublic));
            }

            RootKdf.Advance(rootKey, dh, state.RootKey, state.SendingChainKey, state.NextSendingHeaderKey);
            initiatorHeaderKey.CopyTo(state.SendingHeaderKey);
            responderNextHeaderKey.CopyTo(state.NextReceivingHeaderKey);
            associatedData.CopyTo(state.AssociatedData);
            state._hasSendingChain = true;
            return state;
        }
        catch
        {
            state.Dispose();
            throw;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dh);
        }
    }

    /// <summary>
    /// Initializes the responder's state (PROTOCOL.md section 5.3): the signed pre-key is the first
    /// ratchet key pair; there is no chain until the initiator's first message arrives.
    /// </summary>
    /// <param name="rootKey">RK0 (32 bytes).</param>
    /// <param name="initiatorHeaderKey">HKA (32 bytes): our first next-receiving header key.</param>
    /// <param name="responderNextHeaderKey">NHKB (32 bytes): our first next-sending header key.</param>
    /// <param name="associatedData">AD (288 bytes).</param>
    /// <param name="ownSignedPreKeyPrivate">Our signed pre-key's private scalar (32 bytes).</param>
    /// <param name="ownSignedPreKeyPublic">Our signed pre-key's public key (32 bytes).</param>
    /// <param name="random">Where ratchet keys and header nonces come from.</param>
    /// <returns>The new state; the caller disposes it.</returns>
    /// <exception cref="ArgumentException">A length is wrong or the key pair does not match.</exception>
    internal static RatchetState InitializeResponder(
        ReadOnlySpan<byte> rootKey,
        ReadOnlySpan<byte> initiatorHeaderKey,
        ReadOnlySpan<byte> responderNextHeaderKey,
        ReadOnlySpan<byte> associatedData,
        ReadOnlySpan<byte> ownSignedPreKeyPrivate,
        ReadOnlySpan<byte> ownSignedPreKeyPublic,
        RandomSource random)
    {
        CheckInitialSecrets(rootKey, initiatorHeaderKey, responderNextHeaderKey, associatedData, random);
        Error.CheckLength(ownSignedPreKeyPrivate, KeyLength, nameof(ownSignedPreKeyPrivate));
        Error.CheckLength(ownSignedPreKeyPublic, KeyLength, nameof(ownSignedPreKeyPublic));
        Span<byte> derived = stackalloc byte[KeyLength];
        X25519.DerivePublicKey(ownSignedPreKeyPrivate, derived);
        if (!derived.SequenceEqual(ownSignedPreKeyPublic))
        {
            throw new ArgumentException("The signed pre-key's public key does not match its private key.", nameof(ownSignedPreKeyPublic));
        }

        var state = new RatchetState(random);
        ownSignedPreKeyPrivate.CopyTo(state.SendingRatchetPrivate);
        ownSignedPreKeyPublic.CopyTo(state._sendingRatchetPublic);
        rootKey.CopyTo(state.RootKey);
        responderNextHeaderKey.CopyTo(state.NextSendingHeaderKey);
        initiatorHeaderKey.CopyTo(state.NextReceivingHeaderKey);
        associatedData.CopyTo(state.AssociatedData);
        return state;
    }

    /// <summary>The ciphertext length of a plaintext of <paramref name="plaintextLength"/> bytes: its padding bucket plus 16.</summary>
    /// <param name="plaintextLength">0 to <see cref="ProtocolLimits.MaxPlaintextLength"/>.</param>
    /// <returns>The ciphertext length.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The length is negative or above the maximum.</exception>
    internal static int GetCiphertextLength(int plaintextLength) => Padding.GetPaddedLength(plaintextLength) + Aead.TagLength;

    /// <summary>
    /// Encrypts one message (PROTOCOL.md section 5.4) into caller-provided buffers, allocating nothing.
    /// </summary>
    /// <param name="plaintext">At most <see cref="ProtocolLimits.MaxPlaintextLength"/> bytes.</param>
    /// <param name="encryptedHeader">Receives the 80-byte encrypted header.</param>
    /// <param name="ciphertext">Receives exactly <see cref="GetCiphertextLength"/> bytes.</param>
    /// <param name="failure">Why encryption failed, or <see cref="E2eChatFailure.None"/>.</param>
    /// <returns><see langword="true"/> when the message was encrypted (and the sending chain advanced).</returns>
    /// <exception cref="ArgumentException">
    /// A buffer has the wrong length, or the header buffer overlaps another (the plaintext may share
    /// memory with the ciphertext buffer).
    /// </exception>
    /// <exception cref="ObjectDisposedException">The state was disposed.</exception>
    internal bool TryEncrypt(ReadOnlySpan<byte> plaintext, Span<byte> encryptedHeader, Span<byte> ciphertext, out E2eChatFailure failure)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        failure = CheckCanEncrypt(plaintext.Length);
        if (failure != E2eChatFailure.None)
        {
            return false;
        }

        if (encryptedHeader.Length != EncryptedHeaderLength)
        {
            throw Error.WrongLength(EncryptedHeaderLength, nameof(encryptedHeader));
        }

        int paddedLength = Padding.GetPaddedLength(plaintext.Length);
        if (ciphertext.Length != paddedLength + Aead.TagLength)
        {
            throw Error.WrongLength(paddedLength + Aead.TagLength, nameof(ciphertext));
        }

        if (encryptedHeader.Overlaps(ciphertext) || encryptedHeader.Overlaps(plaintext))
        {
            throw new ArgumentException("The header buffer overlaps the plaintext or the ciphertext.", nameof(encryptedHeader));
        }

        Span<byte> messageKey = stackalloc byte[KeyLength];
        Span<byte> nextChainKey = stackalloc byte[KeyLength];
        Span<byte> header = stackalloc byte[RatchetHeader.Length];
        Span<byte> payloadKeys = stackalloc byte[MessageKeys.Length];
        Span<byte> associatedData = stackalloc byte[AssociatedDataLength + EncryptedHeaderLength];
        try
        {
            ChainKdf.Advance(SendingChainKey, messageKey, nextChainKey);
            MessageKeys.Expand(messageKey, payloadKeys);
            RatchetHeader.Write(_sendingRatchetPublic, _previousSendingCounter, _sendingCounter, header);
            HeaderCipher.Encrypt(SendingHeaderKey, header, _random, encryptedHeader);
            KeyObserver?.OnEncrypted(SendingHeaderKey, HeaderCipher.Nonce(encryptedHeader), messageKey, plaintext);

            // The plaintext may share memory with the ciphertext buffer: pad, then encrypt in place.
            Span<byte> padded = ciphertext[..paddedLength];
            Padding.Pad(plaintext, padded);
            AssociatedData.CopyTo(associatedData);
            encryptedHeader.CopyTo(associatedData[AssociatedDataLength..]);
            Aead.Encrypt(AeadAlgorithm.ChaCha20Poly1305, MessageKeys.Key(payloadKeys), MessageKeys.Nonce(payloadKeys), padded, associatedData, ciphertext);

            nextChainKey.CopyTo(SendingChainKey);
            _sendingCounter++;
            return true;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(messageKey);
            CryptographicOperations.ZeroMemory(nextChainKey);
            CryptographicOperations.ZeroMemory(header);
            CryptographicOperations.ZeroMemory(payloadKeys);
            CryptographicOperations.ZeroMemory(associatedData);
        }
    }

    /// <summary>Encrypts one message, allocating only the two output arrays.</summary>
    /// <param name="plaintext">At most <see cref="ProtocolLimits.MaxPlaintextLength"/> bytes.</param>
    /// <param name="message">The encrypted header and ciphertext.</param>
    /// <param name="failure">Why encryption failed, or <see cref="E2eChatFailure.None"/>.</param>
    /// <returns><see langword="true"/> when the message was encrypted.</returns>
    internal bool TryEncrypt(ReadOnlySpan<byte> plaintext, out EncryptedRatchetMessage message, out E2eChatFailure failure)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        failure = CheckCanEncrypt(plaintext.Length);
        if (failure != E2eChatFailure.None)
        {
            message = default;
            return false;
        }

        byte[] header = new byte[EncryptedHeaderLength];
        byte[] ciphertext = new byte[GetCiphertextLength(plaintext.Length)];
        if (!TryEncrypt(plaintext, header, ciphertext, out failure))
        {
            message = default;
            return false;
        }

        message = new EncryptedRatchetMessage(header, ciphertext);
        return true;
    }

    /// <summary>
    /// Decrypts one message (PROTOCOL.md section 5.5). The state changes only when this returns
    /// <see langword="true"/>.
    /// </summary>
    /// <param name="encryptedHeader">The encrypted header as received (must be 80 bytes).</param>
    /// <param name="ciphertext">The ciphertext as received (a padding bucket plus 16 bytes).</param>
    /// <param name="plaintext">
    /// Working space and output: at least <paramref name="ciphertext"/>.Length - 16 bytes. On success
    /// the plaintext is its first <paramref name="bytesWritten"/> bytes; on failure it is zeroed.
    /// </param>
    /// <param name="bytesWritten">The plaintext length.</param>
    /// <param name="failure">Why decryption failed, or <see cref="E2eChatFailure.None"/>.</param>
    /// <returns><see langword="true"/> when the message decrypted and the state was updated.</returns>
    /// <exception cref="ArgumentException">
    /// <paramref name="plaintext"/> is too small for a well-formed message or overlaps the message.
    /// </exception>
    /// <exception cref="ObjectDisposedException">The state was disposed.</exception>
    internal bool TryDecrypt(ReadOnlySpan<byte> encryptedHeader, ReadOnlySpan<byte> ciphertext, Span<byte> plaintext, out int bytesWritten, out E2eChatFailure failure)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        bytesWritten = 0;
        if (!IsWellFormed(encryptedHeader, ciphertext))
        {
            failure = E2eChatFailure.Malformed;
            return false;
        }

        int paddedLength = ciphertext.Length - Aead.TagLength;
        if (plaintext.Length < paddedLength)
        {
            throw new ArgumentException($"The plaintext buffer must hold at least {paddedLength} bytes.", nameof(plaintext));
        }

        // A failed attempt zeroes the output, so it must not be the input (a session record tries
        // the same message against several states).
        if (plaintext.Overlaps(ciphertext) || plaintext.Overlaps(encryptedHeader))
        {
            throw new ArgumentException("The plaintext buffer must not overlap the message.", nameof(plaintext));
        }

        Span<byte> padded = plaintext[..paddedLength];
        Span<byte> header = stackalloc byte[RatchetHeader.Length];
        Span<byte> messageKey = stackalloc byte[KeyLength];
        Span<byte> pending = stackalloc byte[PendingLength];
        SkippedMessageKeys staging = Staging;
        try
        {
            failure = Plan(encryptedHeader, header, messageKey, pending, staging, out PlanKind plan, out int skippedIndex, out uint nextReceivingCounter);
            if (failure == E2eChatFailure.None)
            {
                failure = DecryptPayload(messageKey, encryptedHeader, ciphertext, padded, out bytesWritten);
            }

            if (failure != E2eChatFailure.None)
            {
                CryptographicOperations.ZeroMemory(padded);
                return false;
            }

            Commit(plan, skippedIndex, nextReceivingCounter, pending, staging);
            return true;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(header);
            CryptographicOperations.ZeroMemory(messageKey);
            CryptographicOperations.ZeroMemory(pending);
            staging.Clear();
        }
    }

    /// <summary>Decrypts one message into a new array (the only allocation besides pooled scratch memory).</summary>
    /// <param name="encryptedHeader">The encrypted header as received.</param>
    /// <param name="ciphertext">The ciphertext as received.</param>
    /// <param name="plaintext">The plaintext, or <see langword="null"/> on failure.</param>
    /// <param name="failure">Why decryption failed, or <see cref="E2eChatFailure.None"/>.</param>
    /// <returns><see langword="true"/> when the message decrypted and the state was updated.</returns>
    internal bool TryDecrypt(ReadOnlySpan<byte> encryptedHeader, ReadOnlySpan<byte> ciphertext, [NotNullWhen(true)] out byte[]? plaintext, out E2eChatFailure failure)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        plaintext = null;
        if (!IsWellFormed(encryptedHeader, ciphertext))
        {
            failure = E2eChatFailure.Malformed;
            return false;
        }

        using var buffer = new PooledSecret(ciphertext.Length - Aead.TagLength);
        if (!TryDecrypt(encryptedHeader, ciphertext, buffer.Span, out int written, out failure))
        {
            return false;
        }

        plaintext = buffer.Span[..written].ToArray();
        return true;
    }

    /// <summary>Whether the two parts have the lengths section 5.5 requires (else <see cref="E2eChatFailure.Malformed"/>).</summary>
    /// <param name="encryptedHeader">The encrypted header.</param>
    /// <param name="ciphertext">The ciphertext.</param>
    /// <returns><see langword="true"/> when the header is 80 bytes and the ciphertext a bucket plus 16.</returns>
    internal static bool IsWellFormed(ReadOnlySpan<byte> encryptedHeader, ReadOnlySpan<byte> ciphertext) =>
        encryptedHeader.Length == EncryptedHeaderLength
        && ciphertext.Length >= Aead.TagLength
        && Padding.IsBucket(ciphertext.Length - Aead.TagLength);

    /// <summary>Copies the state into its storage form; secrets are views into <paramref name="secrets"/>.</summary>
    /// <param name="secrets">The arena that owns (and later wipes) the serialized secrets.</param>
    /// <returns>The storage message.</returns>
    internal RatchetStateData ToData(ProtobufSecrets secrets)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(secrets);
        var data = new RatchetStateData
        {
            SendingRatchetPrivateKey = secrets.Wrap(SendingRatchetPrivate),
            SendingRatchetPublicKey = ByteString.CopyFrom(_sendingRatchetPublic),
            ReceivingRatchetKey = _hasReceivingRatchetKey ? ByteString.CopyFrom(_receivingRatchetKey) : ByteString.Empty,
            RootKey = secrets.Wrap(RootKey),
            SendingChainKey = _hasSendingChain ? secrets.Wrap(SendingChainKey) : ByteString.Empty,
            ReceivingChainKey = _hasReceivingChain ? secrets.Wrap(ReceivingChainKey) : ByteString.Empty,
            SendingCounter = _sendingCounter,
            ReceivingCounter = _receivingCounter,
            PreviousSendingCounter = _previousSendingCounter,
            SendingHeaderKey = _hasSendingChain ? secrets.Wrap(SendingHeaderKey) : ByteString.Empty,
            ReceivingHeaderKey = _hasReceivingChain ? secrets.Wrap(ReceivingHeaderKey) : ByteString.Empty,
            NextSendingHeaderKey = secrets.Wrap(NextSendingHeaderKey),
            NextReceivingHeaderKey = secrets.Wrap(NextReceivingHeaderKey),
            AssociatedData = secrets.Wrap(AssociatedData),
        };
        for (int i = 0; i < _history.Count; i++)
        {
            data.PreviousReceivingHeaderKeys.Add(secrets.Wrap(_history.HeaderKeyAt(i)));
        }

        for (int i = 0; i < _skipped.Count; i++)
        {
            data.SkippedMessageKeys.Add(new SkippedMessageKeyData
            {
                Chain = (uint)_skipped.ChainAt(i),
                Counter = _skipped.CounterAt(i),
                MessageKey = secrets.Wrap(_skipped.MessageKeyAt(i)),
            });
        }

        return data;
    }

    /// <summary>
    /// Rebuilds a state from its storage form, checking every length and invariant. The secret byte
    /// strings of <paramref name="data"/> are wiped whether or not this succeeds.
    /// </summary>
    /// <param name="data">The parsed storage message.</param>
    /// <param name="random">Where future ratchet keys and header nonces come from.</param>
    /// <param name="state">The state, or <see langword="null"/> when the data is corrupt.</param>
    /// <returns><see langword="false"/> when the data breaks a length or invariant.</returns>
    internal static bool TryFromData(RatchetStateData data, RandomSource random, [NotNullWhen(true)] out RatchetState? state)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(random);
        state = null;
        try
        {
            if (!IsValid(data))
            {
                return false;
            }

            var result = new RatchetState(random);
            data.SendingRatchetPrivateKey.Span.CopyTo(result.SendingRatchetPrivate);
            data.SendingRatchetPublicKey.Span.CopyTo(result._sendingRatchetPublic);
            result._hasReceivingRatchetKey = !data.ReceivingRatchetKey.IsEmpty;
            data.ReceivingRatchetKey.Span.CopyTo(result._receivingRatchetKey);
            data.RootKey.Span.CopyTo(result.RootKey);
            result._hasSendingChain = !data.SendingChainKey.IsEmpty;
            data.SendingChainKey.Span.CopyTo(result.SendingChainKey);
            data.SendingHeaderKey.Span.CopyTo(result.SendingHeaderKey);
            result._hasReceivingChain = !data.ReceivingChainKey.IsEmpty;
            data.ReceivingChainKey.Span.CopyTo(result.ReceivingChainKey);
            data.ReceivingHeaderKey.Span.CopyTo(result.ReceivingHeaderKey);
            result._sendingCounter = data.SendingCounter;
            result._receivingCounter = data.ReceivingCounter;
            result._previousSendingCounter = data.PreviousSendingCounter;
            data.NextSendingHeaderKey.Span.CopyTo(result.NextSendingHeaderKey);
            data.NextReceivingHeaderKey.Span.CopyTo(result.NextReceivingHeaderKey);
            data.AssociatedData.Span.CopyTo(result.AssociatedData);
            foreach (ByteString headerKey in data.PreviousReceivingHeaderKeys)
            {
                result._history.AddOldest(headerKey.Span);
            }

            foreach (SkippedMessageKeyData skipped in data.SkippedMessageKeys)
            {
                result._skipped.Add((int)skipped.Chain, skipped.Counter, skipped.MessageKey.Span);
            }

            state = result;
            return true;
        }
        finally
        {
            WipeSecrets(data);
        }
    }

    /// <summary>Wipes every secret.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _secrets.Dispose();
        _history.Dispose();
        _skipped.Dispose();
    }

    private static bool IsValid(RatchetStateData data)
    {
        bool hasSendingChain = !data.SendingChainKey.IsEmpty;
        bool hasReceivingChain = !data.ReceivingChainKey.IsEmpty;
        if (data.SendingRatchetPrivateKey.Length != KeyLength
            || data.SendingRatchetPublicKey.Length != KeyLength
            || !IsOptionalKey(data.ReceivingRatchetKey)
            || data.RootKey.Length != KeyLength
            || !IsOptionalKey(data.SendingChainKey)
            || !IsOptionalKey(data.ReceivingChainKey)
            || !IsOptionalKey(data.SendingHeaderKey)
            || !IsOptionalKey(data.ReceivingHeaderKey)
            || data.SendingHeaderKey.IsEmpty == hasSendingChain
            || data.ReceivingHeaderKey.IsEmpty == hasReceivingChain
            || data.NextSendingHeaderKey.Length != KeyLength
            || data.NextReceivingHeaderKey.Length != KeyLength
            || data.AssociatedData.Length != AssociatedDataLength)
        {
            return false;
        }

        // A receiving chain comes from a DH ratchet step with the peer's key; counters of absent
        // chains are zero; previous chains only exist once a receiving chain did.
        if ((hasReceivingChain && data.ReceivingRatchetKey.IsEmpty)
            || (!hasSendingChain && (data.SendingCounter != 0 || data.PreviousSendingCounter != 0))
            || (!hasReceivingChain && (data.ReceivingCounter != 0 || data.PreviousReceivingHeaderKeys.Count != 0))
            || data.PreviousReceivingHeaderKeys.Count > ReceiverChainHistory.MaxCount
            || data.SkippedMessageKeys.Count > ProtocolLimits.MaxSkippedMessageKeys)
        {
            return false;
        }

        foreach (ByteString headerKey in data.PreviousReceivingHeaderKeys)
        {
            if (headerKey.Length != KeyLength)
            {
                return false;
            }
        }

        foreach (SkippedMessageKeyData skipped in data.SkippedMessageKeys)
        {
            if (skipped.MessageKey.Length != KeyLength
                || skipped.Chain > (uint)data.PreviousReceivingHeaderKeys.Count
                || (skipped.Chain == 0 && (!hasReceivingChain || skipped.Counter >= data.ReceivingCounter)))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsOptionalKey(ByteString value) => value.IsEmpty || value.Length == KeyLength;

    /// <summary>Wipes the secret byte strings of a parsed storage message.</summary>
    /// <param name="data">The parsed message.</param>
    internal static void WipeSecrets(RatchetStateData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        ProtobufSecrets.Wipe(data.SendingRatchetPrivateKey);
        ProtobufSecrets.Wipe(data.RootKey);
        ProtobufSecrets.Wipe(data.SendingChainKey);
        ProtobufSecrets.Wipe(data.ReceivingChainKey);
        ProtobufSecrets.Wipe(data.SendingHeaderKey);
        ProtobufSecrets.Wipe(data.ReceivingHeaderKey);
        ProtobufSecrets.Wipe(data.NextSendingHeaderKey);
        ProtobufSecrets.Wipe(data.NextReceivingHeaderKey);
        ProtobufSecrets.Wipe(data.AssociatedData);
        foreach (ByteString headerKey in data.PreviousReceivingHeaderKeys)
        {
            ProtobufSecrets.Wipe(headerKey);
        }

        foreach (SkippedMessageKeyData skipped in data.SkippedMessageKeys)
        {
            ProtobufSecrets.Wipe(skipped.MessageKey);
        }
    }

    private static void CheckInitialSecrets(ReadOnlySpan<byte> rootKey, ReadOnlySpan<byte> initiatorHeaderKey, ReadOnlySpan<byte> responderNextHeaderKey, ReadOnlySpan<byte> associatedData, RandomSource random)
    {
        ArgumentNullException.ThrowIfNull(random);
        Error.CheckLength(rootKey, KeyLength, nameof(rootKey));
        Error.CheckLength(initiatorHeaderKey, KeyLength, nameof(initiatorHeaderKey));
        Error.CheckLength(responderNextHeaderKey, KeyLength, nameof(responderNextHeaderKey));
        Error.CheckLength(associatedData, AssociatedDataLength, nameof(associatedData));
    }


    private static void StageSkippedKeys(Span<byte> chainKey, uint from, uint to, int chain, SkippedMessageKeys staging)
    {
        Span<byte> messageKey = stackalloc byte[KeyLength];
        try
        {
            for (uint counter = from; counter < to; counter++)
            {
                ChainKdf.Advance(chainKey, messageKey, chainKey);
                staging.Add(chain, counter, messageKey);
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(messageKey);
        }
    }

    private E2eChatFailure CheckCanEncrypt(int plaintextLength)
    {
        if (!_hasSendingChain)
        {
            return E2eChatFailure.NotReady;
        }

        if (plaintextLength > ProtocolLimits.MaxPlaintextLength)
        {
            return E2eChatFailure.PlaintextTooLong;
        }

        return _sendingCounter > ProtocolLimits.MaxChainCounter ? E2eChatFailure.ChainExhausted : E2eChatFailure.None;
    }

    /// <summary>
    /// Steps 1-4 of section 5.5: finds the message key without touching the state. Changes to make
    /// on success go to <paramref name="pending"/> and <paramref name="staging"/>.
    /// </summary>
    private E2eChatFailure Plan(
        ReadOnlySpan<byte> encryptedHeader,
        Span<byte> header,
        Span<byte> messageKey,
        Span<byte> pending,
        SkippedMessageKeys staging,
        out PlanKind plan,
        out int skippedIndex,
        out uint nextReceivingCounter)
    {
        plan = PlanKind.UseSkippedKey;
        skippedIndex = -1;
        nextReceivingCounter = 0;

        // 1. The current receiving chain.
        if (_hasReceivingChain && HeaderCipher.TryDecrypt(ReceivingHeaderKey, encryptedHeader, header))
        {
            uint counter = new RatchetHeader(header).MessageNumber;
            if (counter < _receivingCounter)
            {
                return FindSkippedKey(0, counter, messageKey, out skippedIndex);
            }

            if (counter - _receivingCounter > ProtocolLimits.MaxMessageGap)
            {
                return E2eChatFailure.TooBigGap;
            }

            if (counter > ProtocolLimits.MaxChainCounter)
            {
                return E2eChatFailure.InvalidHeader;
            }

            Span<byte> chainKey = pending.Slice(PendingReceivingChainKey, KeyLength);
            ReceivingChainKey.CopyTo(chainKey);
            StageSkippedKeys(chainKey, _receivingCounter, counter, 0, staging);
            ChainKdf.Advance(chainKey, messageKey, chainKey);
            plan = PlanKind.AdvanceReceivingChain;
            nextReceivingCounter = counter + 1;
            return E2eChatFailure.None;
        }

        // 2. Previous receiving chains, newest first.
        for (int i = 0; i < _history.Count; i++)
        {
            if (HeaderCipher.TryDecrypt(_history.HeaderKeyAt(i), encryptedHeader, header))
            {
                return FindSkippedKey(i + 1, new RatchetHeader(header).MessageNumber, messageKey, out skippedIndex);
            }
        }

        // 3. A new receiving chain.
        if (!HeaderCipher.TryDecrypt(NextReceivingHeaderKey, encryptedHeader, header))
        {
            return E2eChatFailure.InvalidHeader;
        }

        var decoded = new RatchetHeader(header);
        ReadOnlySpan<byte> ratchetKey = decoded.RatchetKey;
        if (X25519.ValidatePublicKey(ratchetKey) != KeyAgreementFailure.None)
        {
            return E2eChatFailure.InvalidRatchetKey;
        }

        uint previousChainLength = decoded.PreviousChainLength;
        uint newCounter = decoded.MessageNumber;
        bool skipsInCurrentChain = _hasReceivingChain && previousChainLength > _receivingCounter;
        if ((skipsInCurrentChain && previousChainLength - _receivingCounter > ProtocolLimits.MaxMessageGap)
            || newCounter > ProtocolLimits.MaxMessageGap)
        {
            return E2eChatFailure.TooBigGap;
        }

        Span<byte> rootKey = pending.Slice(PendingRootKey, KeyLength);
        Span<byte> receivingChainKey = pending.Slice(PendingReceivingChainKey, KeyLength);
        Span<byte> nextReceivingHeaderKey = pending.Slice(PendingNextReceivingHeaderKey, KeyLength);
        Span<byte> sendingPrivate = pending.Slice(PendingSendingPrivate, KeyLength);
        Span<byte> sendingPublic = pending.Slice(PendingSendingPublic, KeyLength);
        Span<byte> sendingChainKey = pending.Slice(PendingSendingChainKey, KeyLength);
        Span<byte> nextSendingHeaderKey = pending.Slice(PendingNextSendingHeaderKey, KeyLength);
        Span<byte> dhOutput = pending.Slice(PendingDhOutput, KeyLength);
        ratchetKey.CopyTo(pending.Slice(PendingRatchetKey, KeyLength));

        if (skipsInCurrentChain)
        {
            // The rest of the current chain, stored under HKr, which becomes chain position 1.
            ReceivingChainKey.CopyTo(receivingChainKey);
            StageSkippedKeys(receivingChainKey, _receivingCounter, previousChainLength, 1, staging);
        }

        // DH ratchet step.
        if (X25519.Agree(SendingRatchetPrivate, ratchetKey, dhOutput) != KeyAgreementFailure.None)
        {
            return E2eChatFailure.InvalidRatchetKey;
        }

        RootKdf.Advance(RootKey, dhOutput, rootKey, receivingChainKey, nextReceivingHeaderKey);
        X25519.GenerateKeyPair(_random, sendingPrivate, sendingPublic);
        if (X25519.Agree(sendingPrivate, ratchetKey, dhOutput) != KeyAgreementFailure.None)
        {
            return E2eChatFailure.InvalidRatchetKey;
        }

        RootKdf.Advance(rootKey, dhOutput, rootKey, sendingChainKey, nextSendingHeaderKey);
        StageSkippedKeys(receivingChainKey, 0, newCounter, 0, staging);
        ChainKdf.Advance(receivingChainKey, messageKey, receivingChainKey);
        plan = PlanKind.NewReceivingChain;
        nextReceivingCounter = newCounter + 1;
        return E2eChatFailure.None;
    }

    private E2eChatFailure FindSkippedKey(int chain, uint counter, Span<byte> messageKey, out int index)
    {
        index = _skipped.IndexOf(chain, counter);
        if (index < 0)
        {
            return E2eChatFailure.Duplicate;
        }

        _skipped.MessageKeyAt(index).CopyTo(messageKey);
        return E2eChatFailure.None;
    }

    /// <summary>Step 5 of section 5.5: authenticate and decrypt the payload, then unpad.</summary>
    private E2eChatFailure DecryptPayload(ReadOnlySpan<byte> messageKey, ReadOnlySpan<byte> encryptedHeader, ReadOnlySpan<byte> ciphertext, Span<byte> padded, out int plaintextLength)
    {
        plaintextLength = 0;
        Span<byte> payloadKeys = stackalloc byte[MessageKeys.Length];
        Span<byte> associatedData = stackalloc byte[AssociatedDataLength + EncryptedHeaderLength];
        try
        {
            MessageKeys.Expand(messageKey, payloadKeys);
            AssociatedData.CopyTo(associatedData);
            encryptedHeader.CopyTo(associatedData[AssociatedDataLength..]);
            if (!Aead.TryDecrypt(AeadAlgorithm.ChaCha20Poly1305, MessageKeys.Key(payloadKeys), MessageKeys.Nonce(payloadKeys), ciphertext, associatedData, padded))
            {
                return E2eChatFailure.InvalidCiphertext;
            }

            return Padding.TryUnpad(padded, out plaintextLength) ? E2eChatFailure.None : E2eChatFailure.InvalidPadding;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(payloadKeys);
            CryptographicOperations.ZeroMemory(associatedData);
        }
    }

    /// <summary>Step 6 of section 5.5: write the planned changes.</summary>
    private void Commit(PlanKind plan, int skippedIndex, uint nextReceivingCounter, ReadOnlySpan<byte> pending, SkippedMessageKeys staging)
    {
        switch (plan)
        {
            case PlanKind.UseSkippedKey:
                _skipped.RemoveAt(skippedIndex);
                break;

            case PlanKind.AdvanceReceivingChain:
                pending.Slice(PendingReceivingChainKey, KeyLength).CopyTo(ReceivingChainKey);
                _receivingCounter = nextReceivingCounter;
                _skipped.AddAll(staging);
                break;

            case PlanKind.NewReceivingChain:
                if (_hasReceivingChain)
                {
                    _skipped.ShiftChains(ProtocolLimits.MaxReceiverChains);
                    _history.PushNewest(ReceivingHeaderKey);
                }

                _previousSendingCounter = _sendingCounter;
                _sendingCounter = 0;
                NextSendingHeaderKey.CopyTo(SendingHeaderKey);
                NextReceivingHeaderKey.CopyTo(ReceivingHeaderKey);
                pending.Slice(PendingRatchetKey, KeyLength).CopyTo(_receivingRatchetKey);
                pending.Slice(PendingRootKey, KeyLength).CopyTo(RootKey);
                pending.Slice(PendingReceivingChainKey, KeyLength).CopyTo(ReceivingChainKey);
                pending.Slice(PendingNextReceivingHeaderKey, KeyLength).CopyTo(NextReceivingHeaderKey);
                pending.Slice(PendingSendingPrivate, KeyLength).CopyTo(SendingRatchetPrivate);
                pending.Slice(PendingSendingPublic, KeyLength).CopyTo(_sendingRatchetPublic);
                pending.Slice(PendingSendingChainKey, KeyLength).CopyTo(SendingChainKey);
                pending.Slice(PendingNextSendingHeaderKey, KeyLength).CopyTo(NextSendingHeaderKey);
                _hasReceivingRatchetKey = true;
                _hasSendingChain = true;
                _hasReceivingChain = true;
                _receivingCounter = nextReceivingCounter;
                _skipped.AddAll(staging);
                break;

            default:
                throw new InvalidOperationException("Unknown decryption plan.");
        }
    }

    private Span<byte> Secret(int offset, int length)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _secrets.WritableSpan.Slice(offset, length);
    }
}
