using E2eChat.Crypto;
using E2eChat.Storage.Proto;
using Google.Protobuf;

namespace E2eChat;

/// <summary>
/// What an initiator repeats in every <c>PreKeyMessage</c> of a session until it first decrypts a
/// message from the responder (PROTOCOL.md section 4): its identity, the base key, the ids of the
/// responder's pre-keys it used and the ML-KEM ciphertext. All public values.
/// </summary>
internal sealed class PendingPreKeyFields
{
    /// <summary>Length of a public identity key in bytes (<see cref="E2eChat.IdentityKey.Length"/>).</summary>
    internal const int IdentityKeyLength = E2eChat.IdentityKey.Length;

    /// <summary>Length of the base key, an X25519 public key, in bytes.</summary>
    internal const int BaseKeyLength = X25519.KeyLength;

    /// <summary>Length of an ML-KEM-768 ciphertext in bytes.</summary>
    internal const int KemCiphertextLength = MlKem768.CiphertextLength;

    private readonly byte[] _identityKey;
    private readonly byte[] _baseKey;
    private readonly byte[] _kemCiphertext;

    /// <summary>Copies the fields.</summary>
    /// <param name="identityKey">The initiator's 128-byte public identity.</param>
    /// <param name="baseKey">The initiator's 32-byte ephemeral public key.</param>
    /// <param name="signedPreKeyId">The responder's signed pre-key id (nonzero).</param>
    /// <param name="oneTimePreKeyId">The responder's one-time pre-key id, 0 when none was used.</param>
    /// <param name="kemPreKeyId">The responder's KEM pre-key id (nonzero).</param>
    /// <param name="kemCiphertext">The 1088-byte ML-KEM-768 ciphertext.</param>
    /// <exception cref="ArgumentException">A length is wrong.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A required id is zero.</exception>
    internal PendingPreKeyFields(ReadOnlySpan<byte> identityKey, ReadOnlySpan<byte> baseKey, uint signedPreKeyId, uint oneTimePreKeyId, uint kemPreKeyId, ReadOnlySpan<byte> kemCiphertext)
    {
        Error.CheckLength(identityKey, IdentityKeyLength, nameof(identityKey));
        Error.CheckLength(baseKey, BaseKeyLength, nameof(baseKey));
        Error.CheckLength(kemCiphertext, KemCiphertextLength, nameof(kemCiphertext));
        ArgumentOutOfRangeException.ThrowIfZero(signedPreKeyId);
        ArgumentOutOfRangeException.ThrowIfZero(kemPreKeyId);
        _identityKey = identityKey.ToArray();
        _baseKey = baseKey.ToArray();
        _kemCiphertext = kemCiphertext.ToArray();
        SignedPreKeyId = signedPreKeyId;
        OneTimePreKeyId = oneTimePreKeyId;
        KemPreKeyId = kemPreKeyId;
    }

    /// <summary>The initiator's 128-byte public identity.</summary>
    internal ReadOnlySpan<byte> IdentityKey => _identityKey;

    /// <summary>The initiator's 32-byte ephemeral public key.</summary>
    internal ReadOnlySpan<byte> BaseKey => _baseKey;

    /// <summary>The responder's signed pre-key id.</summary>
    internal uint SignedPreKeyId { get; }

    /// <summary>The responder's one-time pre-key id, 0 when none was used.</summary>
    internal uint OneTimePreKeyId { get; }

    /// <summary>The responder's KEM pre-key id.</summary>
    internal uint KemPreKeyId { get; }

    /// <summary>The 1088-byte ML-KEM-768 ciphertext.</summary>
    internal ReadOnlySpan<byte> KemCiphertext => _kemCiphertext;

    /// <summary>The storage form.</summary>
    /// <returns>A new message.</returns>
    internal PendingPreKeyData ToData() => new()
    {
        IdentityKey = ByteString.CopyFrom(_identityKey),
        BaseKey = ByteString.CopyFrom(_baseKey),
        SignedPrekeyId = SignedPreKeyId,
        OneTimePrekeyId = OneTimePreKeyId,
        KemPrekeyId = KemPreKeyId,
        KemCiphertext = ByteString.CopyFrom(_kemCiphertext),
    };

    /// <summary>Rebuilds the fields from storage, checking lengths and ids.</summary>
    /// <param name="data">The parsed message.</param>
    /// <returns>The fields, or <see langword="null"/> when the data is corrupt.</returns>
    internal static PendingPreKeyFields? FromData(PendingPreKeyData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.IdentityKey.Length != IdentityKeyLength
            || data.BaseKey.Length != BaseKeyLength
            || data.KemCiphertext.Length != KemCiphertextLength
            || data.SignedPrekeyId == 0
            || data.KemPrekeyId == 0)
        {
            return null;
        }

        return new PendingPreKeyFields(data.IdentityKey.Span, data.BaseKey.Span, data.SignedPrekeyId, data.OneTimePrekeyId, data.KemPrekeyId, data.KemCiphertext.Span);
    }


    /// <summary>Builds the <c>PreKeyMessage</c> carrying these fields and a ratchet message (PROTOCOL.md section 4).</summary>
    /// <param name="message">The inner ratchet message.</param>
    /// <returns>The wire message.</returns>
    internal Wire.Proto.PreKeyMessage ToMessage(Wire.Proto.RatchetMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new Wire.Proto.PreKeyMessage
        {
            IdentityKey = ByteString.CopyFrom(_identityKey),
            BaseKey = ByteString.CopyFrom(_baseKey),
            SignedPrekeyId = SignedPreKeyId,
            OneTimePrekeyId = OneTimePreKeyId,
            KemPrekeyId = KemPreKeyId,
            KemCiphertext = ByteString.CopyFrom(_kemCiphertext),
            Message = message,
        };
    }
}
