namespace E2eChat.Wire;

/// <summary>
/// Why a signed consent record was refused (PROTOCOL.md section 16.2), in the order the rules are
/// checked: the size, the encoding rules of section 8 (same names as <see cref="EnvelopeFailure"/>),
/// each field's value rule, the signature, the signer, and applying it to a pair. Append-only.
/// </summary>
public enum ConsentFailure
{
    /// <summary>The record is valid (or was applied).</summary>
    None = 0,

    /// <summary>The signed record is longer than <see cref="WireConsentRecord.MaxLength"/>.</summary>
    TooLarge,

    /// <summary>The input ends inside a tag or a varint, or a length runs past the end of its message.</summary>
    Truncated,

    /// <summary>A varint is not minimal, longer than 10 bytes, above 2^64 - 1, or a tag or <c>uint32</c> above 2^32 - 1.</summary>
    MalformedVarint,

    /// <summary>A known field has another wire type than its declared one.</summary>
    WrongWireType,

    /// <summary>A field number the message does not declare.</summary>
    UnknownField,

    /// <summary>A field occurs twice.</summary>
    DuplicateField,

    /// <summary>A field comes after a field with a higher number.</summary>
    FieldsOutOfOrder,

    /// <summary>A scalar written with its default value (zero, or empty bytes or string).</summary>
    DefaultValueWritten,

    /// <summary><c>account_key</c> is missing or not 32 bytes.</summary>
    InvalidAccountKey,

    /// <summary><c>record</c> is missing.</summary>
    MissingRecord,

    /// <summary><c>signature</c> is missing or not 64 bytes.</summary>
    InvalidSignatureLength,

    /// <summary><c>customer</c> is missing or not an account name (1 to 64 bytes of <c>[a-z0-9._-]</c>).</summary>
    InvalidCustomer,

    /// <summary><c>business</c> is missing, not an account name, or the customer's own name.</summary>
    InvalidBusiness,

    /// <summary><c>action</c> is missing or not 1 to 4.</summary>
    InvalidAction,

    /// <summary><c>scopes</c> has a bit outside the four categories' bits (0x0F).</summary>
    InvalidScopes,

    /// <summary><c>scopes</c> is present on an action other than GRANT.</summary>
    UnexpectedScopes,

    /// <summary>A GRANT has no <c>scopes</c>.</summary>
    MissingScopes,

    /// <summary><c>serial</c> is missing.</summary>
    MissingSerial,

    /// <summary><c>issued_at_ms</c> is missing.</summary>
    MissingIssuedAt,

    /// <summary><c>expires_at_ms</c> is present on an action other than GRANT.</summary>
    UnexpectedExpiry,

    /// <summary>A GRANT's <c>expires_at_ms</c> is not after its <c>issued_at_ms</c>.</summary>
    InvalidExpiry,

    /// <summary>The signature does not verify strictly under <c>account_key</c>.</summary>
    BadSignature,

    /// <summary>The verifier knows no account key for the customer (no device list published).</summary>
    UnknownAccountKey,

    /// <summary>The record is signed by a key other than the customer's account key.</summary>
    WrongSigner,

    /// <summary>The record names another (customer, business) pair than the one it is applied to.</summary>
    WrongPair,

    /// <summary>The record's serial is not greater than the newest applied for the pair.</summary>
    StaleSerial,
}
