using E2eChat.Crypto;
using E2eChat.Keys;
using Google.Protobuf;

namespace E2eChat.Handshake;

/// <summary>
/// The handshake fields the initiator repeats in every <c>PreKeyMessage</c> of a session until it
/// first decrypts a reply (PROTOCOL.md section 4): its identity, the base key, the ids of the
/// responder's pre-keys it used and the ML-KEM ciphertext. Public values only; immutable.
/// </summary>
internal sealed class PendingPreKey
{
    private readonly byte[] _baseKey;
    private readonly byte[] _kemCiphertext;

    /// <summary>Creates the pending fields (also used to restore them from stored session state).</summary>
    /// <param name="identityKey">The initiator's identity.</param>
    /// <param name="baseKey">The 32-byte base key.</param>
    /// <param name="signedPreKeyId">The responder's signed pre-key id (nonzero).</param>
    /// <param name="oneTimePreKeyId">The responder's one-time pre-key id, or 0.</param>
    /// <param name="kemPreKeyId">The responder's KEM pre-key id (nonzero).</param>
    /// <param name="kemCiphertext">The 1088-byte ML-KEM ciphertext.</param>
    internal PendingPreKey(IdentityKey identityKey, ReadOnlySpan<byte> baseKey, uint signedPreKeyId, uint oneTimePreKeyId, uint kemPreKeyId, ReadOnlySpan<byte> kemCiphertext)
    {
        ArgumentNullException.ThrowIfNull(identityKey);
        ArgumentOutOfRangeException.ThrowIfZero(signedPreKeyId);
        ArgumentOutOfRangeException.ThrowIfZero(kemPreKeyId);
        if (baseKey.Length != X25519.KeyLength)
        {
            throw new ArgumentException($"Expected {X25519.KeyLength} bytes.", nameof(baseKey));
        }

        if (kemCiphertext.Length != MlKem768.CiphertextLength)
        {
            throw new ArgumentException($"Expected {MlKem768.CiphertextLength} bytes.", nameof(kemCiphertext));
        }

        IdentityKey = identityKey;
        _baseKey = baseKey.ToArray();
        SignedPreKeyId = signedPreKeyId;
        OneTimePreKeyId = oneTimePreKeyId;
        KemPreKeyId = kemPreKeyId;
        _kemCiphertext = kemCiphertext.ToArray();
    }

    /// <summary><c>identity_key</c>: the initiator's identity.</summary>
    internal IdentityKey IdentityKey { get; }

    /// <summary><c>base_key</c>: the initiator's ephemeral public key <c>EK</c>.</summary>
    internal ReadOnlySpan<byte> BaseKey => _baseKey;

    /// <summary><c>signed_prekey_id</c>.</summary>
    internal uint SignedPreKeyId { get; }

    /// <summary><c>one_time_prekey_id</c>, 0 when none was used.</summary>
    internal uint OneTimePreKeyId { get; }

    /// <summary><c>kem_prekey_id</c>.</summary>
    internal uint KemPreKeyId { get; }

    /// <summary><c>kem_ciphertext</c>: the ML-KEM ciphertext <c>CT</c>.</summary>
    internal ReadOnlySpan<byte> KemCiphertext => _kemCiphertext;

    /// <summary>Builds the <c>PreKeyMessage</c> carrying these fields and a ratchet message.</summary>
    /// <param name="message">The inner ratchet message.</param>
    /// <returns>The wire message.</returns>
    internal Wire.PreKeyMessage ToMessage(Wire.RatchetMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new Wire.PreKeyMessage
        {
            IdentityKey = ByteString.CopyFrom(IdentityKey.AsSpan()),
            BaseKey = ByteString.CopyFrom(_baseKey),
            SignedPrekeyId = SignedPreKeyId,
            OneTimePrekeyId = OneTimePreKeyId,
            KemPrekeyId = KemPreKeyId,
            KemCiphertext = ByteString.CopyFrom(_kemCiphertext),
            Message = message,
        };
    }
}
