namespace E2eChat.Groups;

/// <summary>
/// Reads the canonical protobuf encoding of a small wire message (PROTOCOL.md section 8) field by
/// field, in schema order, allocating nothing and never throwing. The caller asks for each field in
/// ascending order; a field is present exactly when the next byte is its (single-byte) tag. After the
/// last field the input must be at its end, so anything else — an unknown, repeated or out-of-order
/// field, a multi-byte tag — is left unread and the message is refused.
/// </summary>
internal ref struct CanonicalProtoReader
{
    private const int MaxVarintLength = 10;

    private readonly ReadOnlySpan<byte> _input;
    private int _position;

    /// <summary>Creates a reader over a whole message.</summary>
    /// <param name="input">The encoded message.</param>
    internal CanonicalProtoReader(ReadOnlySpan<byte> input)
    {
        _input = input;
        _position = 0;
    }

    /// <summary>Whether every byte has been read.</summary>
    internal readonly bool IsAtEnd => _position == _input.Length;

    /// <summary>
    /// Reads a required length-delimited field of exactly <paramref name="length"/> bytes.
    /// </summary>
    /// <param name="tag">The field's tag byte (field number shifted left by 3, or 2).</param>
    /// <param name="length">The required length (nonzero).</param>
    /// <param name="value">The field's bytes, a view into the input.</param>
    /// <returns><see langword="false"/> when the field is missing or has another length.</returns>
    internal bool ReadFixedBytes(byte tag, int length, out ReadOnlySpan<byte> value) =>
        ReadBytes(tag, out value) && value.Length == length;

    /// <summary>Reads a required, nonempty length-delimited field.</summary>
    /// <param name="tag">The field's tag byte.</param>
    /// <param name="value">The field's bytes, a view into the input.</param>
    /// <returns><see langword="false"/> when the field is missing, empty, or runs past the input.</returns>
    internal bool ReadBytes(byte tag, out ReadOnlySpan<byte> value)
    {
        value = default;
        if (!TryTakeTag(tag) || !TryReadVarint(out ulong length) || length == 0 || length > (ulong)(_input.Length - _position))
        {
            return false;
        }

        value = _input.Slice(_position, (int)length);
        _position += (int)length;
        return true;
    }

    /// <summary>
    /// Reads an optional varint field: absent means zero; present means a minimal, nonzero varint no
    /// larger than <paramref name="maximum"/>.
    /// </summary>
    /// <param name="tag">The field's tag byte (field number shifted left by 3).</param>
    /// <param name="maximum">The largest value allowed.</param>
    /// <param name="value">The value, 0 when absent.</param>
    /// <returns><see langword="false"/> when the field is present but not a valid nonzero value.</returns>
    internal bool ReadOptionalVarint(byte tag, ulong maximum, out ulong value)
    {
        value = 0;
        if (!TryTakeTag(tag))
        {
            return true;
        }

        return TryReadVarint(out value) && value != 0 && value <= maximum;
    }

    /// <summary>Reads a required varint field: a minimal, nonzero varint no larger than <paramref name="maximum"/>.</summary>
    /// <param name="tag">The field's tag byte.</param>
    /// <param name="maximum">The largest value allowed.</param>
    /// <param name="value">The value.</param>
    /// <returns><see langword="false"/> when the field is missing or invalid.</returns>
    internal bool ReadRequiredVarint(byte tag, ulong maximum, out ulong value)
    {
        value = 0;
        return TryTakeTag(tag) && TryReadVarint(out value) && value != 0 && value <= maximum;
    }

    private bool TryTakeTag(byte tag)
    {
        if (_position < _input.Length && _input[_position] == tag)
        {
            _position++;
            return true;
        }

        return false;
    }

    /// <summary>Reads a minimally encoded varint (no trailing zero byte, at most 64 bits).</summary>
    private bool TryReadVarint(out ulong value)
    {
        value = 0;
        for (int i = 0; i < MaxVarintLength; i++)
        {
            if (_position >= _input.Length)
            {
                return false;
            }

            byte b = _input[_position++];
            if (i == MaxVarintLength - 1 && b > 1)
            {
                return false;
            }

            value |= (ulong)(b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0)
            {
                // A multi-byte varint whose last byte is zero is not minimal.
                return i == 0 || b != 0;
            }
        }

        return false;
    }
}
