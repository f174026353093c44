namespace E2eChat;

/// <summary>
/// The encoding failures of PROTOCOL.md section 8 (steps 1 and 2.1-2.8), shared by the readers of
/// sections 13-15. Every failure enum of those records starts with these members, with these
/// values, so a reader's code converts to any of them by value.
/// </summary>
internal enum WireError : byte
{
    /// <summary>No failure.</summary>
    None = 0,

    /// <summary>The record is longer than its bound.</summary>
    TooLarge = 1,

    /// <summary>The bytes end inside a tag, varint or value.</summary>
    Truncated = 2,

    /// <summary>A varint is too long, above 64 bits, not minimal, or a tag or <c>uint32</c> is above 32 bits.</summary>
    MalformedVarint = 3,

    /// <summary>A field number the message does not declare.</summary>
    UnknownField = 4,

    /// <summary>A field (not repeated) written twice.</summary>
    DuplicateField = 5,

    /// <summary>A field number lower than the previous one.</summary>
    FieldsOutOfOrder = 6,

    /// <summary>A wire type other than the field's declared one.</summary>
    WrongWireType = 7,

    /// <summary>A zero varint or an empty bytes or string value written.</summary>
    DefaultValueWritten = 8,
}
