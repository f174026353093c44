namespace E2eChat.Accounts;

/// <summary>
/// Why a signed device list was refused (PROTOCOL.md sections 14.1-14.3). Append-only: the values
/// up to <see cref="DefaultValueWritten"/> are the encoding failures of section 8.
/// </summary>
public enum DeviceListFailure
{
    /// <summary>No failure.</summary>
    None = 0,

    /// <summary>Longer than 32768 bytes.</summary>
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

    /// <summary>The account key is missing or not 32 bytes.</summary>
    InvalidAccountKey,

    /// <summary>The signed list bytes are missing.</summary>
    MissingList,

    /// <summary>The signature is missing or not 64 bytes.</summary>
    InvalidSignatureLength,

    /// <summary>The signature does not verify under the account key.</summary>
    BadSignature,

    /// <summary>The account name is missing or breaks the address name rule.</summary>
    InvalidAccount,

    /// <summary>The account kind is missing or not person or business.</summary>
    InvalidAccountKind,

    /// <summary>The version is missing.</summary>
    MissingVersion,

    /// <summary>The issue time is missing.</summary>
    MissingIssuedAt,

    /// <summary>The list has no device.</summary>
    NoDevices,

    /// <summary>More than 64 devices.</summary>
    TooManyDevices,

    /// <summary>Two entries for one device id.</summary>
    DuplicateDevice,

    /// <summary>Entries not in ascending device order.</summary>
    DevicesOutOfOrder,

    /// <summary>A device id missing or outside 1-255.</summary>
    InvalidDeviceId,

    /// <summary>A device identity missing, not 128 bytes, or not a valid identity (section 3.1).</summary>
    InvalidIdentityKey,

    /// <summary>A label missing, longer than 64 bytes or not valid UTF-8.</summary>
    InvalidLabel,

    /// <summary>A role missing or unknown.</summary>
    InvalidRole,

    /// <summary>A processor name longer than 64 bytes or not valid UTF-8.</summary>
    InvalidProcessor,

    /// <summary>A hosted device without a processor name.</summary>
    MissingProcessor,

    /// <summary>A processor name on a device that is not hosted.</summary>
    UnexpectedProcessor,

    /// <summary>The list is for another account than the one asked for.</summary>
    WrongAccount,

    /// <summary>The list is signed by another account key than the pinned one: untrusted until approved.</summary>
    AccountKeyMismatch,

    /// <summary>The list changes the account's kind.</summary>
    AccountKindMismatch,

    /// <summary>The version is older than the stored list's, or equal with other contents.</summary>
    VersionRollback,
}
