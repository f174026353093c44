namespace E2eChat.Accounts;

/// <summary>
/// The strict canonical protobuf reader of PROTOCOL.md section 8 for one message (the records of
/// sections 13-15), with repeated fields: minimal varints, declared fields with their wire type in
/// ascending order, each once (a repeated field: consecutive entries), no default value written.
/// Failures are byte codes: a <see cref="WireError"/> value or, for a missing field, the code the
/// caller's table names. It never throws and allocates nothing.
/// </summary>
internal ref struct RecordReader
{
    private const int MaxVarintLength = 10;

    private readonly ReadOnlySpan<byte> _bytes;
    private int _position;
    private int _lastField;

    /// <summary>Creates a reader over one whole message.</summary>
    /// <param name="bytes">The message's bytes.</param>
    internal RecordReader(ReadOnlySpan<byte> bytes)
    {
        _bytes = bytes;
        _position = 0;
        _lastField = 0;
    }

    /// <summary>Whether every byte has been read.</summary>
    internal readonly bool IsAtEnd => _position >= _bytes.Length;

    /// <summary>The number of the last field read (0 before the first).</summary>
    internal readonly int LastField => _lastField;

    /// <summary>
    /// Reads the next tag and checks it (section 8 steps 2.1-2.5): a declared field number
    /// (<c>1..required.Length - 1</c>), ascending (a field whose bit is set in
    /// <paramref name="repeatedFields"/> may follow itself), its wire type (length-delimited exactly
    /// when its bit is set in <paramref name="lengthDelimitedFields"/>), and no required field skipped.
    /// </summary>
    /// <param name="required">Indexed by field number: the code when the field is missing, 0 when optional.</param>
    /// <param name="lengthDelimitedFields">Bit <c>n</c> set when field <c>n</c> is length-delimited.</param>
    /// <param name="repeatedFields">Bit <c>n</c> set when field <c>n</c> is repeated.</param>
    /// <param name="field">The field number read.</param>
    /// <returns>0 or the failure code.</returns>
    internal byte ReadField(ReadOnlySpan<byte> required, uint lengthDelimitedFields, uint repeatedFields, out int field)
    {
        field = 0;
        WireError error = ReadTag(out int number, out int wireType);
        if (error != WireError.None)
        {
            return (byte)error;
        }

        if (number < 1 || number >= required.Length)
        {
            return (byte)WireError.UnknownField;
        }

        if (number == _lastField && (repeatedFields & (1u << number)) == 0)
        {
            return (byte)WireError.DuplicateField;
        }

        if (number < _lastField)
        {
            return (byte)WireError.FieldsOutOfOrder;
        }

        int expected = (lengthDelimitedFields & (1u << number)) != 0 ? 2 : 0;
        if (wireType != expected)
        {
            return (byte)WireError.WrongWireType;
        }

        byte missing = FirstMissing(required, _lastField, number);
        _lastField = number;
        field = number;
        return missing;
    }

    /// <summary>Section 8 step 3: the first required field after the last one read that is missing.</summary>
    /// <param name="required">The table given to <see cref="ReadField"/>.</param>
    /// <returns>0 or the missing field's code.</returns>
    internal readonly byte CheckEnd(ReadOnlySpan<byte> required) => FirstMissing(required, _lastField, required.Length);

    /// <summary>Reads a tag: a varint of at most 32 bits, split into field number and wire type.</summary>
    /// <param name="number">The field number.</param>
    /// <param name="wireType">The wire type.</param>
    /// <returns>The encoding failure, if any.</returns>
    internal WireError ReadTag(out int number, out int wireType)
    {
        number = 0;
        wireType = 0;
        WireError error = ReadVarint(out ulong tag);
        if (error != WireError.None)
        {
            return error;
        }

        if (tag > uint.MaxValue)
        {
            return WireError.MalformedVarint;
        }

        number = (int)(tag >> 3);
        wireType = (int)(tag & 7);
        return WireError.None;
    }

    /// <summary>Reads a nonzero varint value of up to 64 bits (<c>uint64</c> and enums).</summary>
    /// <param name="value">The value.</param>
    /// <returns>The encoding failure, if any (<see cref="WireError.DefaultValueWritten"/> for 0).</returns>
    internal WireError ReadUInt64(out ulong value)
    {
        WireError error = ReadVarint(out value);
        if (error != WireError.None)
        {
            return error;
        }

        return value == 0 ? WireError.DefaultValueWritten : WireError.None;
    }

    /// <summary>Reads a nonzero <c>uint32</c> value (above 2^32 - 1 is <see cref="WireError.MalformedVarint"/>).</summary>
    /// <param name="value">The value.</param>
    /// <returns>The encoding failure, if any.</returns>
    internal WireError ReadUInt32(out uint value)
    {
        value = 0;
        WireError error = ReadVarint(out ulong raw);
        if (error != WireError.None)
        {
            return error;
        }

        if (raw > uint.MaxValue)
        {
            return WireError.MalformedVarint;
        }

        value = (uint)raw;
        return raw == 0 ? WireError.DefaultValueWritten : WireError.None;
    }

    /// <summary>Reads a nonempty bytes or string value.</summary>
    /// <param name="value">The value's bytes.</param>
    /// <returns>The encoding failure, if any (<see cref="WireError.DefaultValueWritten"/> when empty).</returns>
    internal WireError ReadBytes(out ReadOnlySpan<byte> value)
    {
        WireError error = ReadLengthDelimited(out value);
        if (error != WireError.None)
        {
            return error;
        }

        return value.IsEmpty ? WireError.DefaultValueWritten : WireError.None;
    }

    /// <summary>Reads a nested message's bytes (an empty message is a present message).</summary>
    /// <param name="value">The nested message's bytes.</param>
    /// <returns>The encoding failure, if any.</returns>
    internal WireError ReadMessage(out ReadOnlySpan<byte> value) => ReadLengthDelimited(out value);

    private WireError ReadLengthDelimited(out ReadOnlySpan<byte> value)
    {
        value = default;
        WireError error = ReadVarint(out ulong length);
        if (error != WireError.None)
        {
            return error;
        }

        // _position <= _bytes.Length, so the subtraction cannot overflow; compare before narrowing.
        if (length > (ulong)(_bytes.Length - _position))
        {
            return WireError.Truncated;
        }

        value = _bytes.Slice(_position, (int)length);
        _position += (int)length;
        return WireError.None;
    }

    private WireError ReadVarint(out ulong value)
    {
        value = 0;
        for (int i = 0; i < MaxVarintLength; i++)
        {
            if (_position >= _bytes.Length)
            {
                return WireError.Truncated;
            }

            byte b = _bytes[_position];
            _position++;
            if (i == MaxVarintLength - 1 && b > 1)
            {
                return WireError.MalformedVarint;
            }

            value |= (ulong)(b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0)
            {
                return i > 0 && b == 0 ? WireError.MalformedVarint : WireError.None;
            }
        }

        // Unreachable: the tenth byte either ended the varint or was refused above.
        return WireError.MalformedVarint;
    }

    private static byte FirstMissing(ReadOnlySpan<byte> required, int after, int before)
    {
        for (int n = after + 1; n < before && n < required.Length; n++)
        {
            if (required[n] != 0)
            {
                return required[n];
            }
        }

        return 0;
    }
}
