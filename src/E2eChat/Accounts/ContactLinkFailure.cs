namespace E2eChat.Accounts;

/// <summary>
/// Why a contact link was refused (PROTOCOL.md section 15). Append-only: the values up to
/// <see cref="DefaultValueWritten"/> are the encoding failures of section 8.
/// </summary>
public enum ContactLinkFailure
{
    /// <summary>No failure.</summary>
    None = 0,

    /// <summary>Longer than 1024 bytes.</summary>
    TooLarge = 1,

    /// <summary>The bytes end inside a tag, varint or value.</summary>
    Truncated = 2,

    /// <summary>A varint is not minimally encoded or too large.</summary>
    MalformedVarint = 3,

    /// <summary>A field number the message does not declare.</summary>
    UnknownField = 4,

    /// <summary>A field written twice.</summary>
    DuplicateField = 5,

    /// <summary>Fields not in ascending order.</summary>
    FieldsOutOfOrder = 6,

    /// <summary>A field with another wire type than declared.</summary>
    WrongWireType = 7,

    /// <summary>A zero or empty value written.</summary>
    DefaultValueWritten = 8,

    /// <summary>The signed link bytes are missing.</summary>
    MissingLink,

    /// <summary>The signature is missing or not 64 bytes.</summary>
    InvalidSignatureLength,

    /// <summary>The account name is missing or breaks the address name rule.</summary>
    InvalidAccount,

    /// <summary>The display name is missing, longer than 64 bytes or not valid UTF-8.</summary>
    InvalidDisplayName,

    /// <summary>The account key is missing or not 32 bytes.</summary>
    InvalidAccountKey,

    /// <summary>The prefilled text is not valid UTF-8 or longer than 140 characters.</summary>
    InvalidPrefilledText,

    /// <summary>The referral is longer than 64 bytes.</summary>
    InvalidReferral,

    /// <summary>The scopes name the service bit or an unknown bit.</summary>
    InvalidScopes,

    /// <summary>The issue time is missing.</summary>
    MissingIssuedAt,

    /// <summary>The expiry is missing.</summary>
    MissingExpiry,

    /// <summary>The expiry is not after the issue time.</summary>
    InvalidExpiry,

    /// <summary>The signature does not verify under the link's account key (changed or re-signed).</summary>
    BadSignature,

    /// <summary>Not an <c>e2echat:c/</c> or <c>https://host/c/</c> URI with a canonical base64url payload.</summary>
    InvalidUri,

    /// <summary>The link has expired.</summary>
    Expired,

    /// <summary>The directory's device list is for another account.</summary>
    WrongAccount,

    /// <summary>The directory's device list (or the pinned key) is not under the link's account key: a key directory substituting keys.</summary>
    AccountKeyMismatch,

    /// <summary>The directory's device list was refused (see the update's <see cref="DeviceListFailure"/>).</summary>
    DeviceListRefused,
}
