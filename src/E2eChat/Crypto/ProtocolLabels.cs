namespace E2eChat.Crypto;

/// <summary>
/// Every KDF info string and signature domain label of protocol version 1, as the exact ASCII bytes
/// PROTOCOL.md names. A test cross-checks this list against the spec.
/// </summary>
internal static class ProtocolLabels
{
    /// <summary>Signature domain: an identity's X25519 key, signed by its Ed25519 key.</summary>
    internal static ReadOnlySpan<byte> IdentityDhKey => "E2eChat/v1/identity-dh-key"u8;

    /// <summary>Signature domain: a signed X25519 pre-key.</summary>
    internal static ReadOnlySpan<byte> SignedPreKey => "E2eChat/v1/signed-prekey"u8;

    /// <summary>Signature domain: an ML-KEM-768 pre-key (one-time or last-resort).</summary>
    internal static ReadOnlySpan<byte> KemPreKey => "E2eChat/v1/kem-prekey"u8;

    /// <summary>Signature domain: a sender-key message.</summary>
    internal static ReadOnlySpan<byte> SenderKeyMessage => "E2eChat/v1/sender-key-message"u8;

    /// <summary>HKDF info of the handshake secret.</summary>
    internal static ReadOnlySpan<byte> Handshake => "E2eChat/v1/pqxdh/X25519/ML-KEM-768/SHA-256"u8;

    /// <summary>HKDF info of the root-key step.</summary>
    internal static ReadOnlySpan<byte> RatchetRoot => "E2eChat/v1/ratchet/root"u8;

    /// <summary>HKDF info of the message-key expansion.</summary>
    internal static ReadOnlySpan<byte> RatchetMessage => "E2eChat/v1/ratchet/message"u8;

    /// <summary>HKDF info of the sender-key message-key expansion.</summary>
    internal static ReadOnlySpan<byte> SenderKeyMessageKey => "E2eChat/v1/sender-key/message"u8;

    /// <summary>Prefix of the safety-number hash.</summary>
    internal static ReadOnlySpan<byte> Fingerprint => "E2eChat/v1/fingerprint"u8;

    /// <summary>Associated data of sealed (exported) state.</summary>
    internal static ReadOnlySpan<byte> SealedState => "E2eChat/v1/sealed-state"u8;

    /// <summary>Signature domain: an account's device list, signed by its account key (section 14).</summary>
    internal static ReadOnlySpan<byte> DeviceList => "E2eChat/v1/device-list"u8;

    /// <summary>Signature domain: a contact link, signed by its account key (section 15).</summary>
    internal static ReadOnlySpan<byte> ContactLink => "E2eChat/v1/contact-link"u8;
}
