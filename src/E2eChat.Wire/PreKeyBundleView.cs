namespace E2eChat.Wire;

/// <summary>
/// A canonically encoded <c>PreKeyBundle</c> as <see cref="WirePreKeyBundle"/> reads it: its ids and
/// kind, and where its byte fields are in the buffer read (an empty range for a field not written).
/// The keys and signatures are not checked here; the client verifies them (PROTOCOL.md section 3.4).
/// </summary>
internal readonly struct PreKeyBundleView
{
    /// <summary>Creates a view.</summary>
    /// <param name="identityKey">Where the public identity is.</param>
    /// <param name="signedPreKeyId">The signed pre-key id.</param>
    /// <param name="signedPreKey">Where the signed pre-key is.</param>
    /// <param name="signedPreKeySignature">Where its signature is.</param>
    /// <param name="oneTimePreKeyId">The one-time pre-key id, 0 for none.</param>
    /// <param name="oneTimePreKey">Where the one-time pre-key is.</param>
    /// <param name="kemPreKeyId">The KEM pre-key id.</param>
    /// <param name="kemPreKeyLastResort">Whether the KEM pre-key is the last-resort one.</param>
    /// <param name="kemPreKey">Where the KEM pre-key is.</param>
    /// <param name="kemPreKeySignature">Where its signature is.</param>
    internal PreKeyBundleView(
        Range identityKey,
        uint signedPreKeyId,
        Range signedPreKey,
        Range signedPreKeySignature,
        uint oneTimePreKeyId,
        Range oneTimePreKey,
        uint kemPreKeyId,
        bool kemPreKeyLastResort,
        Range kemPreKey,
        Range kemPreKeySignature)
    {
        IdentityKey = identityKey;
        SignedPreKeyId = signedPreKeyId;
        SignedPreKey = signedPreKey;
        SignedPreKeySignature = signedPreKeySignature;
        OneTimePreKeyId = oneTimePreKeyId;
        OneTimePreKey = oneTimePreKey;
        KemPreKeyId = kemPreKeyId;
        KemPreKeyLastResort = kemPreKeyLastResort;
        KemPreKey = kemPreKey;
        KemPreKeySignature = kemPreKeySignature;
    }

    /// <summary>Where the 128-byte public identity is.</summary>
    internal Range IdentityKey { get; }

    /// <summary>The signed pre-key id (0 when not written).</summary>
    internal uint SignedPreKeyId { get; }

    /// <summary>Where the 32-byte signed pre-key is.</summary>
    internal Range SignedPreKey { get; }

    /// <summary>Where the 64-byte signed pre-key signature is.</summary>
    internal Range SignedPreKeySignature { get; }

    /// <summary>The one-time pre-key id, 0 when none is left.</summary>
    internal uint OneTimePreKeyId { get; }

    /// <summary>Where the 32-byte one-time pre-key is (empty when none).</summary>
    internal Range OneTimePreKey { get; }

    /// <summary>The KEM pre-key id (0 when not written).</summary>
    internal uint KemPreKeyId { get; }

    /// <summary>Whether the KEM pre-key is the last-resort key (else a one-time KEM key).</summary>
    internal bool KemPreKeyLastResort { get; }

    /// <summary>Where the 1184-byte ML-KEM-768 encapsulation key is.</summary>
    internal Range KemPreKey { get; }

    /// <summary>Where the 64-byte KEM pre-key signature is.</summary>
    internal Range KemPreKeySignature { get; }
}
