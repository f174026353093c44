using System.Diagnostics.CodeAnalysis;
using E2eChat.Crypto;
using E2eChat.Ratchet;
using E2eChat.Storage.Proto;
using Google.Protobuf;

namespace E2eChat;

/// <summary>
/// One session with a peer: a Double Ratchet state plus who it is between (both public identities),
/// the base key that names the handshake that created it, and, on the initiator until the session
/// is acknowledged, the pre-key fields every outgoing message must repeat (PROTOCOL.md sections 4
/// and 5). Owns its ratchet state.
/// </summary>
internal sealed class SessionState : IDisposable
{
    /// <summary>Length of a public identity key in bytes.</summary>
    internal const int IdentityKeyLength = PendingPreKeyFields.IdentityKeyLength;

    /// <summary>Length of the base key in bytes.</summary>
    internal const int BaseKeyLength = PendingPreKeyFields.BaseKeyLength;

    private readonly byte[] _localIdentityKey;
    private readonly byte[] _peerIdentityKey;
    private readonly byte[] _baseKey;
    private IdentityKey? _peerIdentity;
    private bool _disposed;

    /// <summary>Wraps a ratchet state, which this session now owns.</summary>
    /// <param name="ratchet">The ratchet state (from the handshake, or loaded).</param>
    /// <param name="localIdentityKey">Our 128-byte public identity.</param>
    /// <param name="peerIdentityKey">The peer's 128-byte public identity.</param>
    /// <param name="baseKey">The initiator's 32-byte base key, which names the handshake.</param>
    /// <param name="pendingPreKey">The initiator's pending pre-key fields, or <see langword="null"/> (responder, or acknowledged).</param>
    /// <exception cref="ArgumentNullException"><paramref name="ratchet"/> is null.</exception>
    /// <exception cref="ArgumentException">A length is wrong.</exception>
    internal SessionState(RatchetState ratchet, ReadOnlySpan<byte> localIdentityKey, ReadOnlySpan<byte> peerIdentityKey, ReadOnlySpan<byte> baseKey, PendingPreKeyFields? pendingPreKey)
    {
        ArgumentNullException.ThrowIfNull(ratchet);
        Error.CheckLength(localIdentityKey, IdentityKeyLength, nameof(localIdentityKey));
        Error.CheckLength(peerIdentityKey, IdentityKeyLength, nameof(peerIdentityKey));
        Error.CheckLength(baseKey, BaseKeyLength, nameof(baseKey));
        Ratchet = ratchet;
        _localIdentityKey = localIdentityKey.ToArray();
        _peerIdentityKey = peerIdentityKey.ToArray();
        _baseKey = baseKey.ToArray();
        PendingPreKey = pendingPreKey;
    }

    /// <summary>The ratchet state.</summary>
    internal RatchetState Ratchet { get; }

    /// <summary>Our 128-byte public identity.</summary>
    internal ReadOnlySpan<byte> LocalIdentityKey => _localIdentityKey;

    /// <summary>The peer's 128-byte public identity.</summary>
    internal ReadOnlySpan<byte> PeerIdentityKey => _peerIdentityKey;

    /// <summary>
    /// The peer's identity as an <see cref="IdentityKey"/>, for trust checks (PROTOCOL.md section 8.1).
    /// It was verified when the session was created and is not verified again on load.
    /// </summary>
    internal IdentityKey PeerIdentity => _peerIdentity ??= IdentityKey.FromState(_peerIdentityKey);

    /// <summary>The initiator's 32-byte base key: together with the peer identity it names the handshake.</summary>
    internal ReadOnlySpan<byte> BaseKey => _baseKey;

    /// <summary>
    /// The pre-key fields to repeat in every outgoing message while the session is unacknowledged
    /// (send a <c>PreKeyMessage</c>), or <see langword="null"/> (send a <c>RatchetMessage</c>).
    /// Cleared by the first successful decryption.
    /// </summary>
    internal PendingPreKeyFields? PendingPreKey { get; private set; }

    /// <summary>Whether this session names the handshake (<paramref name="baseKey"/>, <paramref name="peerIdentityKey"/>).</summary>
    /// <param name="baseKey">A base key.</param>
    /// <param name="peerIdentityKey">A peer identity.</param>
    /// <returns><see langword="true"/> when both are equal to this session's.</returns>
    internal bool Matches(ReadOnlySpan<byte> baseKey, ReadOnlySpan<byte> peerIdentityKey) =>
        baseKey.SequenceEqual(_baseKey) && peerIdentityKey.SequenceEqual(_peerIdentityKey);

    /// <summary>Encrypts one message; see <see cref="RatchetState.TryEncrypt(ReadOnlySpan{byte}, Span{byte}, Span{byte}, out E2eChatFailure)"/>.</summary>
    /// <param name="plaintext">The plaintext.</param>
    /// <param name="encryptedHeader">Receives 80 bytes.</param>
    /// <param name="ciphertext">Receives <see cref="RatchetState.GetCiphertextLength"/> bytes.</param>
    /// <param name="failure">Why encryption failed.</param>
    /// <returns><see langword="true"/> on success.</returns>
    internal bool TryEncrypt(ReadOnlySpan<byte> plaintext, Span<byte> encryptedHeader, Span<byte> ciphertext, out E2eChatFailure failure)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return Ratchet.TryEncrypt(plaintext, encryptedHeader, ciphertext, out failure);
    }

    /// <summary>Encrypts one message into new arrays.</summary>
    /// <param name="plaintext">The plaintext.</param>
    /// <param name="message">The encrypted header and ciphertext.</param>
    /// <param name="failure">Why encryption failed.</param>
    /// <returns><see langword="true"/> on success.</returns>
    internal bool TryEncrypt(ReadOnlySpan<byte> plaintext, out EncryptedRatchetMessage message, out E2eChatFailure failure)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return Ratchet.TryEncrypt(plaintext, out message, out failure);
    }

    /// <summary>
    /// Decrypts one message; on success the pending pre-key fields are cleared (the peer has
    /// answered). On failure nothing changes.
    /// </summary>
    /// <param name="encryptedHeader">The encrypted header.</param>
    /// <param name="ciphertext">The ciphertext.</param>
    /// <param name="plaintext">Working space and output, at least <paramref name="ciphertext"/>.Length - 16 bytes.</param>
    /// <param name="bytesWritten">The plaintext length.</param>
    /// <param name="failure">Why decryption failed.</param>
    /// <returns><see langword="true"/> on success.</returns>
    internal bool TryDecrypt(ReadOnlySpan<byte> encryptedHeader, ReadOnlySpan<byte> ciphertext, Span<byte> plaintext, out int bytesWritten, out E2eChatFailure failure)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!Ratchet.TryDecrypt(encryptedHeader, ciphertext, plaintext, out bytesWritten, out failure))
        {
            return false;
        }

        PendingPreKey = null;
        return true;
    }

    /// <summary>Decrypts one message into a new array; see the span overload.</summary>
    /// <param name="encryptedHeader">The encrypted header.</param>
    /// <param name="ciphertext">The ciphertext.</param>
    /// <param name="plaintext">The plaintext, or <see langword="null"/>.</param>
    /// <param name="failure">Why decryption failed.</param>
    /// <returns><see langword="true"/> on success.</returns>
    internal bool TryDecrypt(ReadOnlySpan<byte> encryptedHeader, ReadOnlySpan<byte> ciphertext, [NotNullWhen(true)] out byte[]? plaintext, out E2eChatFailure failure)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!Ratchet.TryDecrypt(encryptedHeader, ciphertext, out plaintext, out failure))
        {
            return false;
        }

        PendingPreKey = null;
        return true;
    }

    /// <summary>The storage form; secrets are views into <paramref name="secrets"/>.</summary>
    /// <param name="secrets">The arena that owns the serialized secrets.</param>
    /// <returns>The storage message.</returns>
    internal SessionStateData ToData(ProtobufSecrets secrets)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return new SessionStateData
        {
            LocalIdentityKey = ByteString.CopyFrom(_localIdentityKey),
            PeerIdentityKey = ByteString.CopyFrom(_peerIdentityKey),
            BaseKey = ByteString.CopyFrom(_baseKey),
            Ratchet = Ratchet.ToData(secrets),
            PendingPreKey = PendingPreKey?.ToData(),
        };
    }

    /// <summary>
    /// Rebuilds a session from storage, checking lengths and invariants. The ratchet's secret byte
    /// strings in <paramref name="data"/> are wiped whether or not this succeeds.
    /// </summary>
    /// <param name="data">The parsed message.</param>
    /// <param name="random">Where the ratchet's future randomness comes from.</param>
    /// <param name="state">The session, or <see langword="null"/> when the data is corrupt.</param>
    /// <returns><see langword="false"/> when the data is corrupt.</returns>
    internal static bool TryFromData(SessionStateData data, RandomSource random, [NotNullWhen(true)] out SessionState? state)
    {
        ArgumentNullException.ThrowIfNull(data);
        state = null;
        if (data.Ratchet is null)
        {
            return false;
        }

        if (data.LocalIdentityKey.Length != IdentityKeyLength
            || data.PeerIdentityKey.Length != IdentityKeyLength
            || data.BaseKey.Length != BaseKeyLength)
        {
            RatchetState.WipeSecrets(data.Ratchet);
            return false;
        }

        PendingPreKeyFields? pending = null;
        if (data.PendingPreKey is not null)
        {
            pending = PendingPreKeyFields.FromData(data.PendingPreKey);
            if (pending is null)
            {
                RatchetState.WipeSecrets(data.Ratchet);
                return false;
            }
        }

        if (!RatchetState.TryFromData(data.Ratchet, random, out RatchetState? ratchet))
        {
            return false;
        }

        state = new SessionState(ratchet, data.LocalIdentityKey.Span, data.PeerIdentityKey.Span, data.BaseKey.Span, pending);
        return true;
    }

    /// <summary>Disposes the ratchet state (wiping its secrets).</summary>
    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            Ratchet.Dispose();
        }
    }

}
