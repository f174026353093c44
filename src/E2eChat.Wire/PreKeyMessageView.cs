namespace E2eChat.Wire;

/// <summary>
/// A valid <c>PreKeyMessage</c> as <see cref="WirePreKeyMessage"/> reads it: its ids, and where its
/// byte fields and the ratchet message it carries are in the buffer read.
/// </summary>
internal readonly struct PreKeyMessageView
{
    /// <summary>Creates a view.</summary>
    /// <param name="identityKey">Where the 128-byte public identity is.</param>
    /// <param name="baseKey">Where the 32-byte base key is.</param>
    /// <param name="signedPreKeyId">The signed pre-key id (nonzero).</param>
    /// <param name="oneTimePreKeyId">The one-time pre-key id, 0 for none.</param>
    /// <param name="kemPreKeyId">The KEM pre-key id (nonzero).</param>
    /// <param name="kemCiphertext">Where the 1088-byte ML-KEM ciphertext is.</param>
    /// <param name="message">The ratchet message carried.</param>
    internal PreKeyMessageView(Range identityKey, Range baseKey, uint signedPreKeyId, uint oneTimePreKeyId, uint kemPreKeyId, Range kemCiphertext, RatchetMessageView message)
    {
        IdentityKey = identityKey;
        BaseKey = baseKey;
        SignedPreKeyId = signedPreKeyId;
        OneTimePreKeyId = oneTimePreKeyId;
        KemPreKeyId = kemPreKeyId;
        KemCiphertext = kemCiphertext;
        Message = message;
    }

    /// <summary>Where the initiator's 128-byte public identity is.</summary>
    internal Range IdentityKey { get; }

    /// <summary>Where the initiator's 32-byte ephemeral X25519 key is.</summary>
    internal Range BaseKey { get; }

    /// <summary>The signed pre-key id, nonzero.</summary>
    internal uint SignedPreKeyId { get; }

    /// <summary>The one-time pre-key id, 0 when none was used.</summary>
    internal uint OneTimePreKeyId { get; }

    /// <summary>The KEM pre-key id, nonzero.</summary>
    internal uint KemPreKeyId { get; }

    /// <summary>Where the 1088-byte ML-KEM-768 ciphertext is.</summary>
    internal Range KemCiphertext { get; }

    /// <summary>The ratchet message this handshake carries (ranges into the same buffer).</summary>
    internal RatchetMessageView Message { get; }
}
