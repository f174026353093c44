using System.Collections.Concurrent;
using System.Security.Cryptography;
using E2eChat.Crypto;
using E2eChat.Envelopes;
using E2eChat.Errors;
using E2eChat.Handshake;
using E2eChat.Keys;
using E2eChat.Ratchet;
using E2eChat.Relay;
using E2eChat.Storage;
using Google.Protobuf;

namespace E2eChat.Sessions;

/// <summary>
/// What client apps call: starts sessions from pre-key bundles, encrypts and decrypts over the
/// stores. Every operation on one address runs under that address's lock (concurrent calls lose no
/// update), works on the in-memory record, and writes the record back only after it succeeded; a
/// failed decrypt changes nothing, in memory or in the stores.
/// </summary>
/// <remarks>
/// Commit order for a first message (PROTOCOL.md section 4, responder step 8): the new session
/// record is stored first, then the one-time pre-keys are deleted and the identity saved. Should
/// the process die in between, a replay of that first message finds the stored session (same base
/// key) and is refused as a duplicate, so no one-time key is ever usable twice.
/// </remarks>
public sealed class SessionManager : IDisposable
{
    private readonly ProtocolStores _stores;
    private readonly RandomSource _random;
    private readonly ConcurrentDictionary<ProtocolAddress, SemaphoreSlim> _locks = new();
    private readonly ConcurrentDictionary<ProtocolAddress, SessionRecord> _cache = new();
    private bool _disposed;

    /// <summary>Creates a manager over <paramref name="stores"/>.</summary>
    /// <param name="stores">The stores.</param>
    public SessionManager(ProtocolStores stores)
        : this(stores, RandomSource.System)
    {
    }

    /// <summary>Creates a manager with a chosen randomness source (test vectors).</summary>
    internal SessionManager(ProtocolStores stores, RandomSource random)
    {
        ArgumentNullException.ThrowIfNull(stores);
        ArgumentNullException.ThrowIfNull(random);
        _stores = stores;
        _random = random;
    }

    /// <summary>The stores this manager works over.</summary>
    public ProtocolStores Stores => _stores;

    /// <summary>
    /// Starts a session with <paramref name="remote"/> from its verified bundle, without any round
    /// trip. The new session becomes current; until the peer answers, every message is a pre-key message.
    /// </summary>
    /// <param name="remote">The peer device.</param>
    /// <param name="bundle">Its pre-key bundle (already verified by <see cref="PreKeyBundle.TryParse"/>).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the session is stored.</returns>
    /// <exception cref="E2eChatException">With <see cref="HandshakeFailure.UntrustedIdentity"/> when the bundle's identity differs from the one trusted for <paramref name="remote"/>.</exception>
    public async ValueTask StartSessionAsync(ProtocolAddress remote, PreKeyBundle bundle, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        ObjectDisposedException.ThrowIf(_disposed, this);
        SemaphoreSlim gate = Gate(remote);
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            IdentityKeyPair ours = await _stores.Identities.GetIdentityKeyPairAsync(cancellationToken).ConfigureAwait(false);
            (HandshakeFailure failure, InitiatorHandshakeResult? result) = await InitiatorHandshake
                .StartAsync(ours, remote, bundle, _stores.Identities, _random, transcript: null, cancellationToken)
                .ConfigureAwait(false);
            if (failure != HandshakeFailure.None)
            {
                throw new E2eChatException(failure);
            }

            using (result)
            {
                SessionState state = CreateInitiatorState(ours, result!, _random);
                SessionRecord record = await LoadAsync(remote, cancellationToken).ConfigureAwait(false) ?? new SessionRecord();
                record.PromoteNew(state);
                await SaveAsync(remote, record).ConfigureAwait(false);
                await _stores.Identities.SaveIdentityAsync(remote, result!.RemoteIdentity, cancellationToken).ConfigureAwait(false);
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
    /// <returns><see langword="true"/> when a current session exists.</returns>
    public async ValueTask<bool> HasSessionAsync(ProtocolAddress remote, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        SemaphoreSlim gate = Gate(remote);
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            SessionRecord? record = await LoadAsync(remote, cancellationToken).ConfigureAwait(false);
            return record?.Current is not null;
        }
        catch (E2eChatException)
        {
            return false;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Encrypts <paramref name="plaintext"/> for <paramref name="remote"/> in the current session.</summary>
    /// <param name="remote">The peer device.</param>
    /// <param name="plaintext">At most <see cref="ProtocolLimits.MaxPlaintextLength"/> bytes.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A pre-key message while the session is unacknowledged, a ratchet message afterwards.</returns>
    /// <exception cref="E2eChatException">With <see cref="SessionManagerFailure.NoSession"/>, a <see cref="StateFailure"/> or an <see cref="EncryptionFailure"/>.</exception>
    public async ValueTask<CiphertextMessage> EncryptAsync(ProtocolAddress remote, ReadOnlyMemory<byte> plaintext, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        SemaphoreSlim gate = Gate(remote);
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            SessionRecord? record = await LoadAsync(remote, cancellationToken).ConfigureAwait(false);
            SessionState state = record?.Current ?? throw new E2eChatException(SessionManagerFailure.NoSession);
            if (!state.TryEncrypt(plaintext.Span, out EncryptedRatchetMessage encrypted, out EncryptionFailure failure))
            {
                throw new E2eChatException(failure);
            }

            CiphertextMessage message = ToCiphertextMessage(state, encrypted);
            await SaveAsync(remote, record!).ConfigureAwait(false);
            return message;
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
    /// <exception cref="E2eChatException">Carrying the same failure <see cref="TryDecryptAsync"/> reports.</exception>
    public async ValueTask<byte[]> DecryptAsync(ProtocolAddress remote, CiphertextMessage message, CancellationToken cancellationToken = default)
    {
        DecryptResult result = await TryDecryptAsync(remote, message, cancellationToken).ConfigureAwait(false);
        return result.Plaintext ?? throw new E2eChatException(result.Failure!);
    }

    /// <summary>
    /// Decrypts a message from <paramref name="remote"/>. A pre-key message that matches no existing
    /// session runs the responder side of the handshake; all changes (session, consumed pre-keys,
    /// the peer's identity) are committed only when the message decrypted.
    /// </summary>
    /// <param name="remote">The sending device.</param>
    /// <param name="message">A pre-key or ratchet message.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The plaintext or a typed failure; hostile input never throws.</returns>
    public async ValueTask<DecryptResult> TryDecryptAsync(ProtocolAddress remote, CiphertextMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        ObjectDisposedException.ThrowIf(_disposed, this);
        SemaphoreSlim gate = Gate(remote);
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            SessionRecord? record;
            try
            {
                record = await LoadAsync(remote, cancellationToken).ConfigureAwait(false);
            }
            catch (E2eChatException e)
            {
                return DecryptResult.Failed(e.Reason);
            }

            return message.Type switch
            {
                EnvelopeType.Ratchet => await DecryptRatchetAsync(remote, record, message.Body, cancellationToken).ConfigureAwait(false),
                EnvelopeType.PreKey => await DecryptPreKeyAsync(remote, record, message.Body, cancellationToken).ConfigureAwait(false),
                _ => DecryptResult.Failed(DecryptionFailure.Malformed),
            };
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
        foreach (SessionRecord record in _cache.Values)
        {
            record.Dispose();
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
        var ratchet = new Wire.RatchetMessage
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
    /// Reads the encrypted header and ciphertext of a <c>RatchetMessage</c> body in place when it is
    /// in the canonical form this library writes (field 1 of 80 bytes, then field 2 to the end, with
    /// minimal lengths): those are exactly the values a protobuf parse would give, without copying
    /// the ciphertext. Any other form returns <see langword="false"/>, and the caller parses it.
    /// </summary>
    /// <param name="body">The encoded <c>RatchetMessage</c>.</param>
    /// <param name="header">Where the header is in <paramref name="body"/>.</param>
    /// <param name="ciphertext">Where the ciphertext is in <paramref name="body"/>.</param>
    /// <returns><see langword="true"/> when the body has the canonical form.</returns>
    internal static bool TryReadCanonicalRatchetMessage(ReadOnlySpan<byte> body, out Range header, out Range ciphertext)
    {
        const byte HeaderTag = (1 << 3) | 2;
        const byte CiphertextTag = (2 << 3) | 2;
        const int HeaderStart = 2;
        const int CiphertextTagAt = HeaderStart + RatchetState.EncryptedHeaderLength;
        header = default;
        ciphertext = default;
        if (body.Length <= CiphertextTagAt + 1
            || body[0] != HeaderTag
            || body[1] != RatchetState.EncryptedHeaderLength
            || body[CiphertextTagAt] != CiphertextTag)
        {
            return false;
        }

        // A minimal varint of at most 4 bytes (ciphertexts are far below 2^28 bytes).
        int position = CiphertextTagAt + 1;
        int length = 0;
        for (int shift = 0; shift < 28; shift += 7)
        {
            if (position >= body.Length)
            {
                return false;
            }

            byte b = body[position++];
            length |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                bool minimal = b != 0 || shift == 0;
                if (!minimal || length == 0 || length != body.Length - position)
                {
                    return false;
                }

                header = new Range(HeaderStart, CiphertextTagAt);
                ciphertext = new Range(position, body.Length);
                return true;
            }
        }

        return false;
    }

    private static bool TryParse<T>(MessageParser<T> parser, ReadOnlyMemory<byte> body, out T? message)
        where T : IMessage<T>
    {
        try
        {
            message = parser.ParseFrom(body.Span);
            return true;
        }
        catch (InvalidProtocolBufferException)
        {
            message = default;
            return false;
        }
    }

    private async ValueTask<DecryptResult> DecryptRatchetAsync(ProtocolAddress remote, SessionRecord? record, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        if (record is null)
        {
            return DecryptResult.Failed(DecryptionFailure.NoSession);
        }

        byte[]? plaintext;
        DecryptionFailure failure;
        if (TryReadCanonicalRatchetMessage(body.Span, out Range header, out Range ciphertext))
        {
            // The common case: no parse, no copy of the ciphertext.
            if (!record.TryDecrypt(body.Span[header], body.Span[ciphertext], out plaintext, out failure))
            {
                return DecryptResult.Failed(failure);
            }
        }
        else
        {
            if (!TryParse(Wire.RatchetMessage.Parser, body, out Wire.RatchetMessage? ratchet))
            {
                return DecryptResult.Failed(DecryptionFailure.Malformed);
            }

            if (!record.TryDecrypt(ratchet!.Header.Span, ratchet.Ciphertext.Span, out plaintext, out failure))
            {
                return DecryptResult.Failed(failure);
            }
        }

        await SaveAsync(remote, record).ConfigureAwait(false);
        return DecryptResult.Success(plaintext);
    }

    private async ValueTask<DecryptResult> DecryptPreKeyAsync(ProtocolAddress remote, SessionRecord? record, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        if (!TryParse(Wire.PreKeyMessage.Parser, body, out Wire.PreKeyMessage? preKey) || preKey!.Message is null)
        {
            return DecryptResult.Failed(DecryptionFailure.Malformed);
        }

        ByteString header = preKey.Message.Header;
        ByteString ciphertext = preKey.Message.Ciphertext;
        if (!RatchetState.IsWellFormed(header.Span, ciphertext.Span))
        {
            return DecryptResult.Failed(DecryptionFailure.Malformed);
        }

        // Step 1: a session created by this very handshake already exists; no new handshake.
        SessionState? existing = record?.FindState(preKey.BaseKey.Span, preKey.IdentityKey.Span);
        if (existing is not null)
        {
            if (!existing.TryDecrypt(header.Span, ciphertext.Span, out byte[]? again, out DecryptionFailure existingFailure))
            {
                return DecryptResult.Failed(existingFailure);
            }

            record!.Promote(existing);
            await SaveAsync(remote, record).ConfigureAwait(false);
            return DecryptResult.Success(again);
        }

        IdentityKeyPair ours = await _stores.Identities.GetIdentityKeyPairAsync(cancellationToken).ConfigureAwait(false);
        (HandshakeFailure handshakeFailure, ResponderHandshakeResult? accepted) = await ResponderHandshake
            .AcceptAsync(ours, remote, preKey, _stores.Identities, _stores.SignedPreKeys, _stores.OneTimePreKeys, _stores.KemPreKeys, transcript: null, cancellationToken)
            .ConfigureAwait(false);
        if (handshakeFailure != HandshakeFailure.None)
        {
            return DecryptResult.Failed(handshakeFailure);
        }

        SessionState state;
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
            state = new SessionState(ratchet, ours.PublicKey.AsSpan(), accepted.RemoteIdentity.AsSpan(), accepted.BaseKey, pendingPreKey: null);
            if (!state.TryDecrypt(header.Span, ciphertext.Span, out byte[]? plaintext, out DecryptionFailure failure))
            {
                state.Dispose();
                return DecryptResult.Failed(failure);
            }

            record ??= new SessionRecord();
            record.PromoteNew(state);

            await SaveAsync(remote, record).ConfigureAwait(false);
            await accepted.Consumption.CommitAsync(_stores.Identities, _stores.OneTimePreKeys, _stores.KemPreKeys, cancellationToken).ConfigureAwait(false);
            return DecryptResult.Success(plaintext);
        }
    }

    private SemaphoreSlim Gate(ProtocolAddress remote) => _locks.GetOrAdd(remote, static _ => new SemaphoreSlim(1, 1));

    /// <summary>The cached record, else the stored one (cached from then on), else null.</summary>
    private async ValueTask<SessionRecord?> LoadAsync(ProtocolAddress remote, CancellationToken cancellationToken)
    {
        if (_cache.TryGetValue(remote, out SessionRecord? cached))
        {
            return cached;
        }

        byte[]? stored = await _stores.Sessions.LoadSessionAsync(remote, cancellationToken).ConfigureAwait(false);
        if (stored is null)
        {
            return null;
        }

        try
        {
            if (!SessionRecord.TryDeserialize(stored, _random, out SessionRecord? record, out StateFailure failure))
            {
                throw new E2eChatException(failure);
            }

            _cache[remote] = record;
            return record;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(stored);
        }
    }

    /// <summary>
    /// Writes the record through to the store; on a store error the cache entry is dropped so the
    /// next call reloads the last stored state. Not cancellable: once an operation has succeeded in
    /// memory, its commit must not be abandoned half-way.
    /// </summary>
    private async ValueTask SaveAsync(ProtocolAddress remote, SessionRecord record)
    {
        _cache[remote] = record;
        byte[] serialized = record.Serialize();
        try
        {
            await _stores.Sessions.StoreSessionAsync(remote, serialized, CancellationToken.None).ConfigureAwait(false);
        }
        catch
        {
            if (_cache.TryRemove(remote, out SessionRecord? dropped))
            {
                dropped.Dispose();
            }

            throw;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(serialized);
        }
    }
}
