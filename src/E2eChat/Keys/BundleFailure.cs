namespace E2eChat.Keys;

/// <summary>
/// Why a received pre-key bundle was refused. Bundles are verified in the order of PROTOCOL.md
/// section 3.4 and the first failing check is reported.
/// </summary>
public enum BundleFailure
{
    /// <summary>No failure.</summary>
    None = 0,

    /// <summary>Step 1: the bytes are not a protobuf <c>PreKeyBundle</c>.</summary>
    Malformed,

    /// <summary>Step 2: <c>identity_key</c> is not a valid identity (section 3.1).</summary>
    InvalidIdentityKey,

    /// <summary>Step 3: <c>signed_prekey_id</c> or <c>kem_prekey_id</c> is zero.</summary>
    InvalidKeyId,

    /// <summary>Step 4: <c>signed_prekey</c> fails the peer X25519 key check.</summary>
    InvalidSignedPreKey,

    /// <summary>Step 5: <c>signed_prekey_signature</c> does not verify.</summary>
    BadSignedPreKeySignature,

    /// <summary>Step 6: the one-time pre-key fails the X25519 check, or is present while its id is zero.</summary>
    InvalidOneTimePreKey,

    /// <summary>Step 7: <c>kem_prekey</c> fails the ML-KEM-768 encapsulation-key checks.</summary>
    InvalidKemPreKey,

    /// <summary>Step 8: <c>kem_prekey_signature</c> does not verify for the stated kind.</summary>
    BadKemPreKeySignature,
}
