namespace E2eChat.Handshake;

/// <summary>
/// The intermediate values of one side of a handshake, recorded only when a caller passes an
/// instance in (for the known-answer test vectors). Holds secrets in plain arrays: never use it
/// outside vector generation and tests.
/// </summary>
internal sealed class HandshakeTranscript
{
    /// <summary>The initiator's ephemeral private scalar <c>ek</c> (initiator only).</summary>
    internal byte[]? EphemeralPrivateKey { get; set; }

    /// <summary>The base key <c>EK</c>.</summary>
    internal byte[]? BaseKey { get; set; }

    /// <summary><c>DH1</c>: identity of the initiator with the signed pre-key.</summary>
    internal byte[]? Dh1 { get; set; }

    /// <summary><c>DH2</c>: base key with the responder's identity.</summary>
    internal byte[]? Dh2 { get; set; }

    /// <summary><c>DH3</c>: base key with the signed pre-key.</summary>
    internal byte[]? Dh3 { get; set; }

    /// <summary><c>DH4</c>: base key with the one-time pre-key, or <see langword="null"/> when none was used.</summary>
    internal byte[]? Dh4 { get; set; }

    /// <summary>The ML-KEM encapsulation randomness <c>m</c> (initiator only).</summary>
    internal byte[]? KemEncapsulationSeed { get; set; }

    /// <summary>The ML-KEM ciphertext <c>CT</c>.</summary>
    internal byte[]? KemCiphertext { get; set; }

    /// <summary>The ML-KEM shared secret <c>SS</c>.</summary>
    internal byte[]? KemSharedSecret { get; set; }

    /// <summary>The whole input keying material <c>IKM</c>.</summary>
    internal byte[]? InputKeyMaterial { get; set; }

    /// <summary>The HKDF info: the label and both addresses.</summary>
    internal byte[]? Info { get; set; }

    /// <summary>The 128-byte HKDF output <c>OKM = RK0 || HKA || NHKB || SID</c>.</summary>
    internal byte[]? OutputKeyMaterial { get; set; }
}
