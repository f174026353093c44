namespace E2eChat.Keys;

/// <summary>Why a received public identity (PROTOCOL.md section 3.1) was refused.</summary>
public enum IdentityKeyFailure
{
    /// <summary>No failure.</summary>
    None = 0,

    /// <summary>The identity is not exactly 128 bytes.</summary>
    InvalidLength,

    /// <summary>The X25519 part is not canonical or is a point of small order.</summary>
    InvalidAgreementKey,

    /// <summary>The binding signature over the X25519 part does not verify under the Ed25519 part.</summary>
    BadSignature,
}
