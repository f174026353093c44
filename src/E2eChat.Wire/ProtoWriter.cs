namespace E2eChat.Wire;

/// <summary>
/// Writes the canonical protobuf encoding <see cref="ProtoReader"/> accepts (PROTOCOL.md section 8):
/// minimal varints, fields in the order written (callers write them in ascending field order), and
/// default-valued scalars left out (a zero varint field is skipped; callers never write empty bytes).
/// It writes into a buffer sized exactly with the <c>…Length</c> helpers, allocates nothing, and is
/// the only protobuf writer of the wire layer.
/// </summary>
internal ref struct ProtoWriter
{
    private readonly Span<byte> _output;
    private int _position;

    /// <summary>Creates a writer over a buffer sized exactly for the message.</summary>
    /// <param name="output">The buffer.</param>
    internal ProtoWriter(Span<byte> output)
    {
        _output = output;
        _position = 0;
    }

    /// <summary>The number of bytes written.</summary>
    internal readonly int Position => _position;

    /// <summary>The encoded length of a varint.</summary>
    /// <param name="value">The value.</param>
    /// <returns>1 to 10.</returns>
    internal static int VarintLength(ulong value)
    {
        int length = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            length++;
        }

        return length;
    }

    /// <summary>The encoded length of a length-delimited field (tag, length prefix and content).</summary>
    /// <param name="field">The field number.</param>
    /// <param name="length">The field's content length.</param>
    /// <returns>The field's length in bytes.</returns>
    internal static int BytesFieldLength(int field, int length) =>
        checked(TagLength(field) + VarintLength((ulong)length) + length);

    /// <summary>The encoded length of a varint field, 0 when the value is the default (left out).</summary>
    /// <param name="field">The field number.</param>
    /// <param name="value">The value.</param>
    /// <returns>The tag and varint bytes, or 0.</returns>
    internal static int VarintFieldLength(int field, ulong value) => value == 0 ? 0 : TagLength(field) + VarintLength(value);

    /// <summary>Writes a length-delimited field (bytes, string or an already encoded nested message).</summary>
    /// <param name="field">The field number.</param>
    /// <param name="value">The content.</param>
    internal void WriteBytesField(int field, ReadOnlySpan<byte> value) => value.CopyTo(ReserveBytesField(field, value.Length));

    /// <summary>Starts a length-delimited field whose content the caller writes next.</summary>
    /// <param name="field">The field number.</param>
    /// <param name="length">The content length.</param>
    /// <returns>Where the content goes.</returns>
    internal Span<byte> ReserveBytesField(int field, int length)
    {
        WriteTag(field, WireType.LengthDelimited);
        WriteVarint((ulong)length);
        Span<byte> content = _output.Slice(_position, length);
        _position += length;
        return content;
    }

    /// <summary>Writes a varint field unless its value is zero (proto3 leaves default values out).</summary>
    /// <param name="field">The field number.</param>
    /// <param name="value">The value.</param>
    internal void WriteVarintField(int field, ulong value)
    {
        if (value == 0)
        {
            return;
        }

        WriteTag(field, WireType.Varint);
        WriteVarint(value);
    }

    /// <summary>The length of a field's tag (the wire type does not change it).</summary>
    /// <param name="field">The field number.</param>
    /// <returns>The tag's length in bytes.</returns>
    internal static int TagLength(int field) => VarintLength((ulong)field << 3);

    /// <summary>Writes a field's tag: its number and wire type as one minimal varint.</summary>
    /// <param name="field">The field number.</param>
    /// <param name="wireType">The wire type.</param>
    internal void WriteTag(int field, WireType wireType) => WriteVarint(((ulong)field << 3) | (ulong)wireType);

    /// <summary>Writes a bare varint (minimal encoding), for callers that build fields themselves.</summary>
    /// <param name="value">The value.</param>
    internal void WriteVarint(ulong value)
    {
        while (value >= 0x80)
        {
            _output[_position++] = (byte)((value & 0x7F) | 0x80);
            value >>= 7;
        }

        _output[_position++] = (byte)value;
    }
}
