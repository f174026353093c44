namespace E2eChat.Messages;

/// <summary>
/// Why a decrypted plaintext is not a valid <see cref="Content"/> (PROTOCOL.md section 13), or why a
/// valid one is not acceptable from its sender. Append-only: the values up to
/// <see cref="DefaultValueWritten"/> are the encoding failures of section 8.
/// </summary>
public enum ContentFailure
{
    /// <summary>No failure.</summary>
    None = 0,

    /// <summary>Longer than 65536 bytes.</summary>
    TooLarge = 1,

    /// <summary>The bytes end inside a tag, varint or value.</summary>
    Truncated = 2,

    /// <summary>A varint is not minimally encoded or too large.</summary>
    MalformedVarint = 3,

    /// <summary>A field number a nested message does not declare.</summary>
    UnknownField = 4,

    /// <summary>A field written twice in a nested message.</summary>
    DuplicateField = 5,

    /// <summary>Fields of a nested message not in ascending order.</summary>
    FieldsOutOfOrder = 6,

    /// <summary>A field with another wire type than declared.</summary>
    WrongWireType = 7,

    /// <summary>A zero or empty value written.</summary>
    DefaultValueWritten = 8,

    /// <summary>A content type this implementation does not know (a newer sender's).</summary>
    UnknownContent,

    /// <summary>No content field.</summary>
    ContentMissing,

    /// <summary>More than one content field.</summary>
    MultipleContents,

    /// <summary>An application message without a body.</summary>
    MissingBody,

    /// <summary>A body longer than 65280 bytes.</summary>
    BodyTooLarge,

    /// <summary>A category outside 1-4.</summary>
    InvalidCategory,

    /// <summary>A referral longer than 64 bytes.</summary>
    InvalidReferral,

    /// <summary>A receipt type missing or unknown.</summary>
    InvalidReceiptType,

    /// <summary>A receipt's message id missing or not 16 bytes.</summary>
    InvalidReceiptMessageId,

    /// <summary>A sync copy's recipient name or kind missing or invalid.</summary>
    InvalidSyncRecipient,

    /// <summary>A sync copy without its message.</summary>
    MissingSyncMessage,

    /// <summary>A business's message to a person without a category.</summary>
    MissingCategory,

    /// <summary>A category on a message that is not from a business to a person.</summary>
    UnexpectedCategory,

    /// <summary>The message's category differs from its envelope's.</summary>
    CategoryMismatch,
}
