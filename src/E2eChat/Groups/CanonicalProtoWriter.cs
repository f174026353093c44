namespace E2eChat.Groups;

/// <summary>
/// Writes the canonical protobuf encoding the <see cref="CanonicalProtoReader"/> accepts: single-byte
/// tags, minimal varints, fields in the order written, default-valued scalars left out by the caller.
/// </summary>
internal ref struct CanonicalProtoWriter
{
    private readonly Span<byte> _output;
    private int _position;

    /// <summary>Creates a writer over a buffer sized exactly for the message.</summary>
    /// <param name="output">The buffer.</param>
    internal CanonicalProtoWriter(Span<byte> output)
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

    /// <summary>The encoded length of a length-delimited field with a single-byte tag.</summary>
    /// <param name="length">The field's content length.</param>
    /// <returns>The tag, length and content bytes.</returns>
    internal static int BytesFieldLength(int length) => 1 + VarintLength((ulong)length) + length;

    /// <summary>The encoded length of a varint field, 0 when the value is the default (left out).</summary>
    /// <param name="value">The value.</param>
    /// <returns>The tag and varint bytes, or 0.</returns>
    internal static int VarintFieldLength(ulong value) => value == 0 ? 0 : 1 + VarintLength(value);

    /// <summary>Writes a length-delimited field.</summary>
    /// <param name="tag">The tag byte.</param>
    /// <param name="value">The content.</param>
    internal void WriteBytes(byte tag, ReadOnlySpan<byte> value)
    {
        _output[_position++] = tag;
        WriteVarint((ulong)value.Length);
        value.CopyTo(_output[_position..]);
        _position += value.Length;
    }

    /// <summary>Starts a length-delimited field whose content the caller writes next.</summary>
    /// <param name="tag">The tag byte.</param>
    /// <param name="length">The content length.</param>
    /// <returns>Where the content goes.</returns>
    internal Span<byte> ReserveBytes(byte tag, int length)
    {
        _output[_position++] = tag;
        WriteVarint((ulong)length);
        Span<byte> content = _output.Slice(_position, length);
        _position += length;
        return content;
    }

    /// <summary>Writes a varint field unless its value is zero.</summary>
    /// <param name="tag">The tag byte.</param>
    /// <param name="value">The value.</param>
    internal void WriteVarintField(byte tag, ulong value)
    {
        if (value == 0)
        {
            return;
        }

        _output[_position++] = tag;
        WriteVarint(value);
    }

    private void WriteVarint(ulong value)
    {
        while (value >= 0x80)
        {
            _output[_position++] = (byte)((value & 0x7F) | 0x80);
            value >>= 7;
        }

        _output[_position++] = (byte)value;
    }
}
