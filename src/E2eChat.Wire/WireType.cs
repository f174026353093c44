namespace E2eChat.Wire;

/// <summary>The protobuf wire types a tag may carry (the low three bits of the tag).</summary>
internal enum WireType
{
    /// <summary>A varint: every integer and enum field of <c>wire.proto</c>.</summary>
    Varint = 0,

    /// <summary>A fixed 64-bit value; no field of <c>wire.proto</c> uses it.</summary>
    Fixed64 = 1,

    /// <summary>A length-delimited value: bytes, strings and nested messages.</summary>
    LengthDelimited = 2,

    /// <summary>A deprecated group start; never valid here.</summary>
    StartGroup = 3,

    /// <summary>A deprecated group end; never valid here.</summary>
    EndGroup = 4,

    /// <summary>A fixed 32-bit value; no field of <c>wire.proto</c> uses it.</summary>
    Fixed32 = 5,
}
