using System.Collections.Concurrent;
using System.Security.Cryptography;
using E2eChat.Crypto;
using E2eChat.Handshake;
using E2eChat.Ratchet;
using E2eChat.Wire;
using Google.Protobuf;

namespace E2eChat;

/// <summary>
/// What client apps call: starts sessions from pre-key bundles, encrypts and decrypts over the
/// stores. Several managers (threads, workers, processes over one database) may share the stores:
/// every operation loads the session record at its current version, works on it, and commits by
/// compare-and-swap against that version (PROTOCOL.md section 10.1); an operation that loses the race
/// discards its work (its ciphertext or plaintext is never released) and starts again from the new
/// version. So no chain state is ever used twice, and a failed operation changes nothing, in memory
/// or in the stores.
/// </summary>
/// <remarks>
/// <para>
/// The manager keeps the records it loaded and reuses one only while the store reports that its
/// version is unchanged, which it asks on every operation. Calls on one address are also serialized
/// within one manager.
/// </para>
/// <para>
/// Both addresses are bound into every session (PROTOCOL.md section 4 step 5): a first message shown
/// under another sender address, or delivered to another device, fails to decrypt and stores nothing.
/// The peer's identity is checked against the identity store on every encryption and decryption, not
/// only when a session starts (section 8.1): once the application approves a new identity for an
/// address, sessions with the old one fail with <see cref="E2eChatFailure.UntrustedIdentity"/> until
/// a session with the new identity replaces them.
/// </para>
/// <para>
/// A stored record that does not load is reported as its <see cref="E2eChatFailure"/> by every operation
/// on that address; <see cref="StartSessionAsync"/> replaces it (unless it was written by a newer
/// version of the library, <see cref="E2eChatFailure.UnknownVersion"/>).
/// </para>
/// </remarks>
public sealed class SessionManager : IDisposable
{
    private readonly ProtocolStores _stores;
    private readonly RandomSource _random;
    private readonly ConcurrentDictionary<ProtocolAddress, SemaphoreSlim> _locks = new();
    private readonly ConcurrentDictionary<ProtocolAddress, CachedRecord> _cache = new();
    private bool _disposed;

    /// <summary>Creates a manager for the device <paramref name="localAddress"/> over <paramref name="stores"/>.</summary>
    /// <param name="stores">The stores.</param>
    /// <param name="localAddress">This device's own address: bound into every session it takes part in, and the only recipient it accepts.</param>
    /// <exception cref="ArgumentException"><paramref name="localAddress"/> is not a valid address.</exception>
    public SessionManager(ProtocolStores stores, ProtocolAddress localAddress)
        : this(stores, localAddress, RandomSource.System)
    {
    }

    /// <summary>Creates a manager with a chosen randomness source (test vectors).</summary>
    internal SessionManager(ProtocolStores stores, ProtocolAddress localAddress, RandomSource random)
    {
        ArgumentNullException.ThrowIfNull(stores);
        ArgumentNullException.ThrowIfNull(random);
        InitiatorHandshake.CheckAddress(localAddress, nameof(localAddress));
        _stores = stores;
        _random = random;
        LocalAddress = localAddress;
    }

    /// <summary>The stores this manager works over.</summary>
    public ProtocolStores Stores => _stores;

    /// <summary>This device's own address.</summary>
    public ProtocolAddress LocalAddress { get; }

    /// <summary>
    /// Starts a session with <paramref name="remote"/> from its verified bundle, without any round
    /// trip. The new session becomes current (an unreadable stored record is replaced); until the peer
    /// answers, every message is a pre-key message. The bundle's identity is recorded for
    /// <paramref name="remote"/> if none is (trust on first use).
    /// </summary>
    /// <param name="remote">The peer device.</param>
    /// <param name="bundle">Its pre-key bundle (already verified by <see cref="PreKeyBundle.TryParse"/>).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the session is stored.</returns>
    /// <exception cref="ArgumentException"><paramref name="remote"/> is not a valid address.</exception>
    /// <exception cref="E2eChatException">
    /// With <see cref="E2eChatFailure.UntrustedIdentity"/> when the bundle's identity differs from the
    /// one trusted for <paramref name="remote"/>; <see cref="E2eChatFailure.UnknownVersion"/> when the stored
    /// record was written by a newer library (it is kept); <see cref="E2eChatFailure.StoreConflict"/>.
    /// </exception>
    public async ValueTask StartSessionAsync(ProtocolAddress remote, PreKeyBundle bundle, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        InitiatorHandshake.CheckAddress(remote, nameof(remote));
        ObjectDisposedException.ThrowIf(_disposed, this);
        SemaphoreSlim gate = Gate(remote);
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            IdentityKeyPair ours = await _stores.Identities.GetIdentityKeyPairAsync(cancellationToken).ConfigureAwait(false);
            (E2eChatFailure failure, InitiatorHandshakeResult? result) = await InitiatorHandshake
                .StartAsync(ours, LocalAddress, remote, bundle, _stores.Identities, _random, transcript: null, cancellationToken)
                .ConfigureAwait(false);
            if (failure != E2eChatFailure.None)
            {
                throw new E2eChatException(failure);
            }

            SessionState? state;
            using (result)
            {
                state = CreateInitiatorState(ours, result!, _random);
            }

            try
            {
                // The identity first: a crash before the session is stored leaves only the identity
                // recorded, which is what the application chose to talk to.
                if (await _stores.Identities.SaveIdentityAsync(remote, bundle.IdentityKey, cancellationToken).ConfigureAwait(false) == IdentitySaveResult.Conflict)
                {
                    throw new E2eChatException(E2eChatFailure.UntrustedIdentity);
                }

                for (int attempt = 0; attempt < ProtocolLimits.MaxCommitAttempts; attempt++)
                {
                    Loaded loaded = await LoadAsync(remote, cancellationToken).ConfigureAwait(false);
                    if (loaded.Failure == E2eChatFailure.UnknownVersion)
                    {
                        throw new E2eChatException(loaded.Failure);
                    }

                    // Any other unreadable record is replaced: loaded.Record is null then.
                    SessionRecord working = loaded.Record ?? new SessionRecord();
                    working.PromoteNew(state);
                    if (await TryCommitAsync(remote, loaded.Version, working).ConfigureAwait(false))
                    {
                        state = null;
                        return;
                    }

                    working.DetachCurrent();
                    Discard(remote, working);
                }

                throw new E2eChatException(E2eChatFailure.StoreConflict);
            }
            finally
            {
                state?.Dispose();
            }
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Whether a session with <paramref name="remote"/> exists.</summary>
    /// <param name="remote">The peer device.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns><see langword="true"/> when a current session exists (an unreadable record counts as none).</returns>
    public async ValueTask<bool> HasSessionAsync(ProtocolAddress remote, CancellationToken cancellationToken = default)
    {
        InitiatorHandshake.CheckAddress(remote, nameof(remote));
        ObjectDisposedException.ThrowIf(_disposed, this);
        SemaphoreSlim gate = Gate(remote);
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            Loaded loaded = await LoadAsync(remote, cancellationToken).ConfigureAwait(false);
            return loaded.Record?.Current is not null;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// Encrypts <paramref name="plaintext"/> for <paramref name="remote"/> in the current session. The
    /// ciphertext is returned only once the advanced session is committed to the store, so no message
    /// key is ever used for two messages, whatever other managers share the store.
    /// </summary>
    /// <param name="remote">The peer device.</param>
    /// <param name="plaintext">At most <see cref="ProtocolLimits.MaxPlaintextLength"/> bytes.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A pre-key message while the session is unacknowledged, a ratchet message afterwards.</returns>
    /// <exception cref="ArgumentException"><paramref name="remote"/> is not a valid address.</exception>
    /// <exception cref="E2eChatException">
    /// With <see cref="E2eChatFailure.NoSession"/>; <see cref="E2eChatFailure.UntrustedIdentity"/>
    /// when the session's peer identity is no longer the one trusted for <paramref name="remote"/> (start
    /// a session with the new identity); a <see cref="E2eChatFailure"/> when the stored record does not
    /// load (<see cref="StartSessionAsync"/> replaces it); an <see cref="E2eChatFailure"/>; or
    /// <see cref="E2eChatFailure.StoreConflict"/>.
    /// </exception>
    public async ValueTask<CiphertextMessage> EncryptAsync(ProtocolAddress remote, ReadOnlyMemory<byte> plaintext, CancellationToken cancellationToken = default)
    {
        InitiatorHandshake.CheckAddress(remote, nameof(remote));
        ObjectDisposedException.ThrowIf(_disposed, this);
        SemaphoreSlim gate = Gate(remote);
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            for (int attempt = 0; attempt < ProtocolLimits.MaxCommitAttempts; attempt++)
            {
                Loaded loaded = await LoadAsync(remote, cancellationToken).ConfigureAwait(false);
                if (loaded.Failure != E2eChatFailure.None)
                {
                    throw new E2eChatException(loaded.Failure);
                }

                SessionState state = loaded.Record?.Current ?? throw new E2eChatException(E2eChatFailure.NoSession);
                if (!await IsTrustedAsync(remote, state, cancellationToken).ConfigureAwait(false))
                {
                    throw new E2eChatException(E2eChatFailure.UntrustedIdentity);
                }

                if (!state.TryEncrypt(plaintext.Span, out EncryptedRatchetMessage encrypted, out E2eChatFailure failure))
                {
                    throw new E2eChatException(failure);
                }

                CiphertextMessage message = ToCiphertextMessage(state, encrypted);
                if (await TryCommitAsync(remote, loaded.Version, loaded.Record!).ConfigureAwait(false))
                {
                    return message;
                }

                // Lost the race: another writer advanced the chain; this message is never released.
            }

            throw new E2eChatException(E2eChatFailure.StoreConflict);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Decrypts a message from <paramref name="remote"/>; throws on any failure.</summary>
    /// <param name="remote">The sending device.</param>
    /// <param name="message">A pre-key or ratchet message.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The plaintext.</returns>
    /// <exception cref="E2eChatException">Carrying the same failure <see cref="TryDecryptAsync(ProtocolAddress, CiphertextMessage, CancellationToken)"/> reports.</exception>
    public async ValueTask<byte[]> DecryptAsync(ProtocolAddress remote, CiphertextMessage message, CancellationToken cancellationToken = default)
    {
        DecryptResult result = await TryDecryptAsync(remote, message, cancellationToken).ConfigureAwait(false);
        return result.Plaintext ?? throw new E2eChatException(result.Failure);
    }

    /// <summary>
    /// Decrypts a received envelope: refuses it with <see cref="E2eChatFailure.WrongRecipient"/>
    /// unless its recipient is <see cref="LocalAddress"/>, then decrypts its message from its sender as
    /// <see cref="TryDecryptAsync(ProtocolAddress, CiphertextMessage, CancellationToken)"/> does.
    /// </summary>
    /// <param name="envelope">The envelope, as decoded by <see cref="EnvelopeCodec.TryDecode"/>.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The plaintext or a typed failure; hostile input never throws.</returns>
    public ValueTask<DecryptResult> TryDecryptAsync(Envelope envelope, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (envelope.Recipient != LocalAddress)
        {
            return ValueTask.FromResult(DecryptResult.Failed(E2eChatFailure.WrongRecipient));
        }

        return TryDecryptAsync(envelope.Sender, envelope.Message, cancellationToken);
    }

    /// <summary>
    /// Decrypts a message from <paramref name="remote"/>. The body must be the canonical encoding of
    /// PROTOCOL.md section 8 (exactly what a relay accepts), else <see cref="E2eChatFailure.Malformed"/>.
    /// A pre-key message that matches no existing session runs the responder side of the handshake; all
    /// changes (session, consumed pre-keys, the peer's identity) are committed only when the message
    /// decrypted, and a one-time pre-key is consumed by exactly one handshake.
    /// </summary>
    /// <param name="remote">The sending device (the envelope's sender).</param>
    /// <param name="message">A pre-key or ratchet message.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>
    /// The plaintext or a typed failure; hostile input never throws. A <see cref="E2eChatFailure"/> means
    /// the stored record does not load (<see cref="StartSessionAsync"/> replaces it).
    /// </returns>
    /// <exception cref="ArgumentException"><paramref name="remote"/> is not a valid address.</exception>
    public async ValueTask<DecryptResult> TryDecryptAsync(ProtocolAddress remote, CiphertextMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        InitiatorHandshake.CheckAddress(remote, nameof(remote));
        ObjectDisposedException.ThrowIf(_disposed, this);
        ReadOnlyMemory<byte> body = message.Body;
        Range header = default;
        Range ciphertext = default;
        Wire.Proto.PreKeyMessage? preKey = null;
        switch (message.Type)
        {
            case EnvelopeType.Ratchet:
                if (!WireRatchetMessage.TryRead(body.Span, out RatchetMessageView ratchet, out _))
                {
                    return DecryptResult.Failed(E2eChatFailure.Malformed);
                }

                header = ratchet.Header;
                ciphertext = ratchet.Ciphertext;

                break;

            case EnvelopeType.PreKey:
                // The relay's own rules: a body it would refuse is refused here too, before any parse.
                if (!WirePreKeyMessage.TryRead(body.Span, out _, out _))
                {
                    return DecryptResult.Failed(E2eChatFailure.Malformed);
                }

                preKey = Wire.Proto.PreKeyMessage.Parser.ParseFrom(body.Span);
                break;

            default:
                return DecryptResult.Failed(E2eChatFailure.Malformed);
        }

        SemaphoreSlim gate = Gate(remote);
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (preKey is not null)
            {
                return await DecryptPreKeyAsync(remote, preKey, cancellationToken).ConfigureAwait(false);
            }

            for (int attempt = 0; attempt < ProtocolLimits.MaxCommitAttempts; attempt++)
            {
                DecryptResult? result = await DecryptRatchetAsync(remote, body[header], body[ciphertext], cancellationToken).ConfigureAwait(false);
                if (result is not null)
                {
                    return result.Value;
                }
            }

            return DecryptResult.Failed(E2eChatFailure.StoreConflict);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Drops cached records (stored records stay); later calls reload from the store.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (CachedRecord cached in _cache.Values)
        {
            cached.Record.Dispose();
        }

        _cache.Clear();
    }

    /// <summary>The initiator's new session state from its handshake result (PROTOCOL.md 5.3), pending pre-key fields set.</summary>
    internal static SessionState CreateInitiatorState(IdentityKeyPair ours, InitiatorHandshakeResult result, RandomSource random)
    {
        HandshakeSecrets secrets = result.Secrets;
        RatchetState ratchet = RatchetState.InitializeInitiator(
            secrets.RootKey.Span,
            secrets.InitiatorHeaderKey.Span,
            secrets.ResponderNextHeaderKey.Span,
            secrets.AssociatedData.Span,
            result.RemoteRatchetKey,
            random);
        PendingPreKeyFields pending = result.PendingPreKey;
        return new SessionState(ratchet, ours.PublicKey.AsSpan(), result.RemoteIdentity.AsSpan(), pending.BaseKey, pending);
    }

    /// <summary>
    /// The wire message for an encrypted ratchet message: a <c>RatchetMessage</c>, or while the session
    /// is unacknowledged a <c>PreKeyMessage</c> around it. The two arrays of
    /// <paramref name="encrypted"/> are fresh and owned by the caller, so they are wrapped, not copied.
    /// </summary>
    /// <param name="state">The session that encrypted the message.</param>
    /// <param name="encrypted">The encrypted header and ciphertext; not to be used afterwards.</param>
    /// <returns>The message to put in an envelope.</returns>
    internal static CiphertextMessage ToCiphertextMessage(SessionState state, EncryptedRatchetMessage encrypted)
    {
        var ratchet = new Wire.Proto.RatchetMessage
        {
            Header = UnsafeByteOperations.UnsafeWrap(encrypted.Header),
            Ciphertext = UnsafeByteOperations.UnsafeWrap(encrypted.Ciphertext),
        };
        PendingPreKeyFields? pending = state.PendingPreKey;
        if (pending is null)
        {
            return CiphertextMessage.FromOwnedBody(EnvelopeType.Ratchet, ratchet.ToByteArray());
        }

        return CiphertextMessage.FromOwnedBody(EnvelopeType.PreKey, pending.ToMessage(ratchet).ToByteArray());
    }

    /// <summary>
    /// One attempt at a ratchet message: load (validated), decrypt on the loaded record, check trust,
    /// commit. <see langword="null"/> when the commit lost a race (the caller tries again).
    /// </summary>
    private async ValueTask<DecryptResult?> DecryptRatchetAsync(ProtocolAddress remote, ReadOnlyMemory<byte> header, ReadOnlyMemory<byte> ciphertext, CancellationToken cancellationToken)
    {
        Loaded loaded = await LoadAsync(remote, cancellationToken).ConfigureAwait(false);
        if (loaded.Failure != E2eChatFailure.None)
        {
            return DecryptResult.Failed(loaded.Failure);
        }

        SessionRecord? record = loaded.Record;
        if (record is null)
        {
            return DecryptResult.Failed(E2eChatFailure.NoSession);
        }

        if (!record.TryDecrypt(header.Span, ciphertext.Span, out byte[]? plaintext, out E2eChatFailure failure))
        {
            return DecryptResult.Failed(failure);
        }

        return await CommitDecryptedAsync(remote, loaded.Version, record, plaintext, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The end of a successful decryption on the working record: the state that decrypted (now current)
    /// must still be trusted, then the record is committed. On a refusal or a lost race the working
    /// record is discarded and the plaintext wiped.
    /// </summary>
    private async ValueTask<DecryptResult?> CommitDecryptedAsync(ProtocolAddress remote, long version, SessionRecord record, byte[] plaintext, CancellationToken cancellationToken)
    {
        bool committed = false;
        try
        {
            bool trusted;
            try
            {
                trusted = await IsTrustedAsync(remote, record.Current!, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                // The working record has changed in memory and will not be committed.
                Discard(remote, record);
                throw;
            }

            if (!trusted)
            {
                Discard(remote, record);
                return DecryptResult.Failed(E2eChatFailure.UntrustedIdentity);
            }

            committed = await TryCommitAsync(remote, version, record).ConfigureAwait(false);
            return committed ? DecryptResult.Success(plaintext) : null;
        }
        finally
        {
            if (!committed)
            {
                CryptographicOperations.ZeroMemory(plaintext);
            }
        }
    }

    /// <summary>
    /// A <c>PreKeyMessage</c> (PROTOCOL.md section 4, responder): a repeat of a stored handshake is
    /// decrypted in its state (step 1); otherwise the handshake runs once, the inner message decrypts in
    /// the new state, and the new state is committed with the consumed pre-keys and the identity,
    /// against a freshly loaded record each time another writer wins the session record.
    /// </summary>
    private async ValueTask<DecryptResult> DecryptPreKeyAsync(ProtocolAddress remote, Wire.Proto.PreKeyMessage preKey, CancellationToken cancellationToken)
    {
        ByteString header = preKey.Message.Header;
        ByteString ciphertext = preKey.Message.Ciphertext;
        SessionState? fresh = null;
        byte[]? plaintext = null;
        PreKeyConsumption? consumption = null;
        try
        {
            for (int attempt = 0; attempt < ProtocolLimits.MaxCommitAttempts; attempt++)
            {
                Loaded loaded = await LoadAsync(remote, cancellationToken).ConfigureAwait(false);
                if (loaded.Failure != E2eChatFailure.None)
                {
                    return DecryptResult.Failed(loaded.Failure);
                }

                // Step 1: a session created by this very handshake is stored; no new handshake.
                SessionState? existing = loaded.Record?.FindState(preKey.BaseKey.Span, preKey.IdentityKey.Span);
                if (existing is not null)
                {
                    if (!existing.TryDecrypt(header.Span, ciphertext.Span, out byte[]? again, out E2eChatFailure existingFailure))
                    {
                        return DecryptResult.Failed(existingFailure);
                    }

                    loaded.Record!.Promote(existing);
                    DecryptResult? repeated = await CommitDecryptedAsync(remote, loaded.Version, loaded.Record, again, cancellationToken).ConfigureAwait(false);
                    if (repeated is not null)
                    {
                        return repeated.Value;
                    }

                    continue;
                }

                if (fresh is null)
                {
                    (E2eChatFailure failure, SessionState? state, byte[]? decrypted, PreKeyConsumption? accepted) = await AcceptAsync(remote, preKey, cancellationToken).ConfigureAwait(false);
                    if (failure != E2eChatFailure.None)
                    {
                        return DecryptResult.Failed(failure);
                    }

                    fresh = state;
                    plaintext = decrypted;
                    consumption = accepted;
                }

                SessionRecord working = loaded.Record ?? new SessionRecord();
                working.PromoteNew(fresh!);
                PreKeyMessageCommitResult result;
                long version;
                byte[] serialized = working.Serialize();
                try
                {
                    (result, version) = await consumption!.CommitAsync(_stores, serialized, loaded.Version, cancellationToken).ConfigureAwait(false);
                }
                catch
                {
                    working.DetachCurrent();
                    Discard(remote, working);
                    throw;
                }
                finally
                {
                    CryptographicOperations.ZeroMemory(serialized);
                }

                if (result == PreKeyMessageCommitResult.Committed)
                {
                    fresh = null;
                    if (version > 0)
                    {
                        Cache(remote, version, working);
                    }
                    else
                    {
                        // Committed by the stores' committer, whose new version is not reported.
                        Discard(remote, working);
                    }

                    byte[] delivered = plaintext!;
                    plaintext = null;
                    return DecryptResult.Success(delivered);
                }

                working.DetachCurrent();
                Discard(remote, working);
                switch (result)
                {
                    case PreKeyMessageCommitResult.SessionChanged:
                        continue;
                    case PreKeyMessageCommitResult.OneTimePreKeyMissing:
                        return DecryptResult.Failed(E2eChatFailure.UnknownOneTimePreKey);
                    case PreKeyMessageCommitResult.KemPreKeyMissing:
                        return DecryptResult.Failed(E2eChatFailure.UnknownKemPreKey);
                    default:
                        return DecryptResult.Failed(E2eChatFailure.UntrustedIdentity);
                }
            }

            return DecryptResult.Failed(E2eChatFailure.StoreConflict);
        }
        finally
        {
            fresh?.Dispose();
            if (plaintext is not null)
            {
                CryptographicOperations.ZeroMemory(plaintext);
            }
        }
    }

    /// <summary>
    /// Responder steps 2 to 7: the handshake against our stores (read only) and the inner message in
    /// the new state. Returns the failure, or the new state, its plaintext and the writes to commit.
    /// </summary>
    private async ValueTask<(E2eChatFailure Failure, SessionState? State, byte[]? Plaintext, PreKeyConsumption? Consumption)> AcceptAsync(ProtocolAddress remote, Wire.Proto.PreKeyMessage preKey, CancellationToken cancellationToken)
    {
        IdentityKeyPair ours = await _stores.Identities.GetIdentityKeyPairAsync(cancellationToken).ConfigureAwait(false);
        (E2eChatFailure handshakeFailure, ResponderHandshakeResult? accepted) = await ResponderHandshake
            .AcceptAsync(ours, LocalAddress, remote, preKey, _stores.Identities, _stores.SignedPreKeys, _stores.OneTimePreKeys, _stores.KemPreKeys, transcript: null, cancellationToken)
            .ConfigureAwait(false);
        if (handshakeFailure != E2eChatFailure.None)
        {
            return (handshakeFailure, null, null, null);
        }

        using (accepted)
        {
            HandshakeSecrets secrets = accepted!.Secrets;
            RatchetState ratchet = RatchetState.InitializeResponder(
                secrets.RootKey.Span,
                secrets.InitiatorHeaderKey.Span,
                secrets.ResponderNextHeaderKey.Span,
                secrets.AssociatedData.Span,
                accepted.SignedPreKey.PrivateKey,
                accepted.SignedPreKey.PublicKey,
                _random);
            var state = new SessionState(ratchet, ours.PublicKey.AsSpan(), accepted.RemoteIdentity.AsSpan(), accepted.BaseKey, pendingPreKey: null);
            if (!state.TryDecrypt(preKey.Message.Header.Span, preKey.Message.Ciphertext.Span, out byte[]? plaintext, out E2eChatFailure failure))
            {
                state.Dispose();
                return (failure, null, null, null);
            }

            return (E2eChatFailure.None, state, plaintext, accepted.Consumption);
        }
    }

    private SemaphoreSlim Gate(ProtocolAddress remote) => _locks.GetOrAdd(remote, static _ => new SemaphoreSlim(1, 1));

    private ValueTask<bool> IsTrustedAsync(ProtocolAddress remote, SessionState state, CancellationToken cancellationToken) =>
        _stores.Identities.IsTrustedAsync(remote, state.PeerIdentity, cancellationToken);

    /// <summary>
    /// The record at the store's current version: the cached one when the store reports its version
    /// unchanged (no bytes are copied then), else the stored one, loaded and cached. An unreadable
    /// record gives its failure (and no record, at its version, so that it can be replaced).
    /// </summary>
    private async ValueTask<Loaded> LoadAsync(ProtocolAddress remote, CancellationToken cancellationToken)
    {
        _cache.TryGetValue(remote, out CachedRecord? cached);
        VersionedRecord stored = await _stores.Sessions.LoadSessionAsync(remote, cached?.Version ?? 0, cancellationToken).ConfigureAwait(false);
        if (cached is not null && stored.Version == cached.Version)
        {
            if (stored.Record is not null)
            {
                CryptographicOperations.ZeroMemory(stored.Record);
            }

            return new Loaded(cached.Version, cached.Record, E2eChatFailure.None);
        }

        if (cached is not null && _cache.TryRemove(new KeyValuePair<ProtocolAddress, CachedRecord>(remote, cached)))
        {
            cached.Record.Dispose();
        }

        if (stored.Record is null)
        {
            return new Loaded(stored.Version, null, E2eChatFailure.None);
        }

        try
        {
            if (!SessionRecord.TryDeserialize(stored.Record, _random, out SessionRecord? record, out E2eChatFailure failure))
            {
                return new Loaded(stored.Version, null, failure);
            }

            _cache[remote] = new CachedRecord(stored.Version, record);
            return new Loaded(stored.Version, record, E2eChatFailure.None);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(stored.Record);
        }
    }

    /// <summary>
    /// Writes <paramref name="record"/> (the working copy loaded at <paramref name="expectedVersion"/>)
    /// by compare-and-swap. On success it is cached at its new version; when another writer won, or on
    /// a store error, it is discarded so that the next attempt reloads. Not cancellable: once an
    /// operation has succeeded in memory, its commit must not be abandoned half-way.
    /// </summary>
    private async ValueTask<bool> TryCommitAsync(ProtocolAddress remote, long expectedVersion, SessionRecord record)
    {
        byte[] serialized = record.Serialize();
        long version;
        try
        {
            version = await _stores.Sessions.TryStoreSessionAsync(remote, serialized, expectedVersion, CancellationToken.None).ConfigureAwait(false);
        }
        catch
        {
            Discard(remote, record);
            throw;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(serialized);
        }

        if (version == 0)
        {
            Discard(remote, record);
            return false;
        }

        Cache(remote, version, record);
        return true;
    }

    /// <summary>Caches <paramref name="record"/> at <paramref name="version"/> (updating the entry in place when it already holds that record).</summary>
    private void Cache(ProtocolAddress remote, long version, SessionRecord record)
    {
        if (_cache.TryGetValue(remote, out CachedRecord? cached) && ReferenceEquals(cached.Record, record))
        {
            cached.Version = version;
            return;
        }

        _cache[remote] = new CachedRecord(version, record);
    }

    /// <summary>Disposes a working record that will not be committed, and forgets whatever is cached for <paramref name="remote"/>.</summary>
    private void Discard(ProtocolAddress remote, SessionRecord record)
    {
        if (_cache.TryRemove(remote, out CachedRecord? cached) && !ReferenceEquals(cached.Record, record))
        {
            cached.Record.Dispose();
        }

        record.Dispose();
    }

    /// <summary>A record and the store version it was loaded or committed at (updated in place on each commit).</summary>
    private sealed class CachedRecord(long version, SessionRecord record)
    {
        internal long Version { get; set; } = version;

        internal SessionRecord Record { get; } = record;
    }

    /// <summary>The outcome of a validated load.</summary>
    private readonly record struct Loaded(long Version, SessionRecord? Record, E2eChatFailure Failure);
}
