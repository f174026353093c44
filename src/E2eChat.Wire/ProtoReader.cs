namespace E2eChat.Wire;

/// <summary>
/// A strict, allocation-free protobuf reader over one message: the bytes
/// <c>[start, end)</c> of a whole envelope. Positions are absolute in the envelope, so ranges read from
/// nested messages point into the envelope directly. It accepts only the canonical encoding of
/// PROTOCOL.md section 8: minimal varints, known fields with their declared wire type, in strictly
/// ascending order, each at most once, and no default-valued scalar. It never throws: every
/// arithmetic step is bounded before it is taken.
/// </summary>
internal ref struct ProtoReader
{
    /// <summary>The most bytes a 64-bit varint takes (7 bits per byte).</summary>
    internal const int MaxVarintLength = 10;

    private readonly ReadOnlySpan<byte> _envelope;
    private readonly int _end;
    private int _position;
    private int _lastField;

    /// <summary>Creates a reader over <c>envelope[start..end]</c>; the caller guarantees the bounds.</summary>
    /// <param name="envelope">The whole envelope.</param>
    /// <param name="start">Where the message starts.</param>
    /// <param name="end">Where the message ends (exclusive).</param>
    internal ProtoReader(ReadOnlySpan<byte> envelope, int start, int end)
    {
        _envelope = envelope;
        _position = start;
        _end = end;
        _lastField = 0;
    }

    /// <summary>Whether every byte of the message has been read.</summary>
    internal readonly bool IsAtEnd => _position >= _end;

    /// <summary>The number of the last field read (0 before the first).</summary>
    internal readonly int LastField => _lastField;

    /// <summary>
    /// Reads the next tag and checks it against the message's schema: its field number is one of
    /// <c>1..required.Length - 1</c> (else <see cref="EnvelopeFailure.UnknownField"/>), above the
    /// previous one (<see cref="EnvelopeFailure.DuplicateField"/> when equal,
    /// <see cref="EnvelopeFailure.FieldsOutOfOrder"/> when below), its wire type is length-delimited
    /// exactly when the field's bit is set in <paramref name="lengthDelimitedFields"/> and varint
    /// otherwise (else <see cref="EnvelopeFailure.WrongWireType"/>), and no required field was skipped
    /// (else that field's failure).
    /// </summary>
    /// <param name="required">
    /// Indexed by field number (index 0 unused): the failure when that field is missing, or
    /// <see cref="EnvelopeFailure.None"/> for an optional field.
    /// </param>
    /// <param name="lengthDelimitedFields">Bit <c>n</c> set when field <c>n</c> is length-delimited.</param>
    /// <param name="field">The field number read.</param>
    /// <returns><see cref="EnvelopeFailure.None"/> or the rule broken.</returns>
    internal EnvelopeFailure ReadField(scoped ReadOnlySpan<EnvelopeFailure> required, uint lengthDelimitedFields, out int field)
    {
        // The per-envelope path: the same checks as the general overload below, written out once
        // here (no repeated fields) so the validator's field loop makes a single call per field.
        field = 0;
        EnvelopeFailure failure = ReadVarint(out ulong tag);
        if (failure != EnvelopeFailure.None)
        {
            return failure;
        }

        if (tag > uint.MaxValue)
        {
            return EnvelopeFailure.MalformedVarint;
        }

        int number = (int)(tag >> 3);
        if (number < 1 || number >= required.Length)
        {
            return EnvelopeFailure.UnknownField;
        }

        if (number == _lastField)
        {
            return EnvelopeFailure.DuplicateField;
        }

        if (number < _lastField)
        {
            return EnvelopeFailure.FieldsOutOfOrder;
        }

        WireType expected = (lengthDelimitedFields & (1u << number)) != 0 ? WireType.LengthDelimited : WireType.Varint;
        if ((WireType)(int)(tag & 7) != expected)
        {
            return EnvelopeFailure.WrongWireType;
        }

        // Fields usually follow each other without a gap; only a gap can hide a missing required field.
        failure = number - _lastField > 1 ? FirstMissing(required, _lastField, number) : EnvelopeFailure.None;
        _lastField = number;
        field = number;
        return failure;
    }

    /// <summary>
    /// Reads the next tag and checks its encoding, number, order and wire type (PROTOCOL.md section 8
    /// steps 2.1-2.5), like <see cref="ReadField(ReadOnlySpan{EnvelopeFailure}, uint, out int)"/>, but
    /// leaves the check for skipped required fields to the caller (who compares
    /// <see cref="LastField"/> before and after) and allows repeated fields: a field whose bit is set
    /// in <paramref name="repeatedFields"/> may follow itself (a repeated field's entries are consecutive).
    /// </summary>
    /// <param name="fieldCount">One more than the highest declared field number.</param>
    /// <param name="lengthDelimitedFields">Bit <c>n</c> set when field <c>n</c> is length-delimited.</param>
    /// <param name="repeatedFields">Bit <c>n</c> set when field <c>n</c> is repeated.</param>
    /// <param name="field">The field number read, 0 on failure.</param>
    /// <returns><see cref="EnvelopeFailure.None"/> or the encoding rule broken.</returns>
    internal EnvelopeFailure ReadField(int fieldCount, uint lengthDelimitedFields, uint repeatedFields, out int field)
    {
        field = 0;
        EnvelopeFailure failure = ReadTag(out int number, out int wireType);
        if (failure != EnvelopeFailure.None)
        {
            return failure;
        }

        if (number < 1 || number >= fieldCount)
        {
            return EnvelopeFailure.UnknownField;
        }

        if (number == _lastField && (repeatedFields & (1u << number)) == 0)
        {
            return EnvelopeFailure.DuplicateField;
        }

        if (number < _lastField)
        {
            return EnvelopeFailure.FieldsOutOfOrder;
        }

        WireType expected = (lengthDelimitedFields & (1u << number)) != 0 ? WireType.LengthDelimited : WireType.Varint;
        if ((WireType)wireType != expected)
        {
            return EnvelopeFailure.WrongWireType;
        }

        _lastField = number;
        field = number;
        return EnvelopeFailure.None;
    }

    /// <summary>
    /// Reads the next tag without any schema check: a varint of at most 32 bits, split into field
    /// number and wire type (for a caller that dispatches on an open set of fields itself).
    /// </summary>
    /// <param name="number">The field number.</param>
    /// <param name="wireType">The wire type (0 varint, 2 length-delimited, or another value).</param>
    /// <returns><see cref="EnvelopeFailure.None"/> or a varint failure.</returns>
    internal EnvelopeFailure ReadTag(out int number, out int wireType)
    {
        // A tag is a uint32 varint that may be 0 (field number 0, refused by the caller as unknown).
        EnvelopeFailure failure = ReadUInt32(out uint tag);
        if (failure == EnvelopeFailure.DefaultValueWritten)
        {
            failure = EnvelopeFailure.None;
        }

        number = (int)(tag >> 3);
        wireType = (int)(tag & 7);
        return failure;
    }

    /// <summary>Checks, once the message is read, that no required field after the last one read is missing.</summary>
    /// <param name="required">The table given to <see cref="ReadField(ReadOnlySpan{EnvelopeFailure}, uint, out int)"/>.</param>
    /// <returns><see cref="EnvelopeFailure.None"/> or the first missing field's failure.</returns>
    internal readonly EnvelopeFailure CheckEnd(ReadOnlySpan<EnvelopeFailure> required) => FirstMissing(required, _lastField, required.Length);

    private static EnvelopeFailure FirstMissing(scoped ReadOnlySpan<EnvelopeFailure> required, int after, int before)
    {
        for (int n = after + 1; n < before; n++)
        {
            if (required[n] != EnvelopeFailure.None)
            {
                return required[n];
            }
        }

        return EnvelopeFailure.None;
    }

    /// <summary>Reads a nonzero <c>uint32</c> varint.</summary>
    /// <param name="value">The value.</param>
    /// <returns>
    /// <see cref="EnvelopeFailure.None"/>, <see cref="EnvelopeFailure.DefaultValueWritten"/> for 0,
    /// <see cref="EnvelopeFailure.MalformedVarint"/> above 2^32 - 1, or a varint failure.
    /// </returns>
    internal EnvelopeFailure ReadUInt32(out uint value)
    {
        // ReadVarint directly, not through another layer: this runs for every version and device id.
        value = 0;
        EnvelopeFailure failure = ReadVarint(out ulong raw);
        if (failure != EnvelopeFailure.None)
        {
            return failure;
        }

        if (raw > uint.MaxValue)
        {
            return EnvelopeFailure.MalformedVarint;
        }

        value = (uint)raw;
        return value == 0 ? EnvelopeFailure.DefaultValueWritten : EnvelopeFailure.None;
    }

    /// <summary>Reads a nonzero varint of up to 64 bits (also used for enums, checked by the caller).</summary>
    /// <param name="value">The value.</param>
    /// <returns>
    /// <see cref="EnvelopeFailure.None"/>, <see cref="EnvelopeFailure.DefaultValueWritten"/> for 0, or a
    /// varint failure.
    /// </returns>
    internal EnvelopeFailure ReadUInt64(out ulong value)
    {
        EnvelopeFailure failure = ReadVarint(out value);
        if (failure != EnvelopeFailure.None)
        {
            return failure;
        }

        return value == 0 ? EnvelopeFailure.DefaultValueWritten : EnvelopeFailure.None;
    }

    /// <summary>Reads a nonempty bytes or string value.</summary>
    /// <param name="start">Where the value starts in the envelope.</param>
    /// <param name="length">The value's length, at least 1.</param>
    /// <returns>
    /// <see cref="EnvelopeFailure.None"/>, <see cref="EnvelopeFailure.DefaultValueWritten"/> when empty,
    /// or a length failure.
    /// </returns>
    internal EnvelopeFailure ReadBytes(out int start, out int length)
    {
        EnvelopeFailure failure = ReadLengthDelimited(out start, out length);
        if (failure != EnvelopeFailure.None)
        {
            return failure;
        }

        return length == 0 ? EnvelopeFailure.DefaultValueWritten : EnvelopeFailure.None;
    }

    /// <summary>Reads a nested message's bounds; an empty nested message is allowed (proto3 writes present messages).</summary>
    /// <param name="start">Where the nested message starts in the envelope.</param>
    /// <param name="end">Where it ends (exclusive).</param>
    /// <returns><see cref="EnvelopeFailure.None"/> or a length failure.</returns>
    internal EnvelopeFailure ReadMessage(out int start, out int end)
    {
        EnvelopeFailure failure = ReadLengthDelimited(out start, out int length);
        end = start + length;
        return failure;
    }

    private EnvelopeFailure ReadLengthDelimited(out int start, out int length)
    {
        start = _position;
        length = 0;
        EnvelopeFailure failure = ReadVarint(out ulong raw);
        if (failure != EnvelopeFailure.None)
        {
            return failure;
        }

        // _position <= _end, so the subtraction cannot overflow; compare before narrowing.
        if (raw > (ulong)(_end - _position))
        {
            return EnvelopeFailure.Truncated;
        }

        start = _position;
        length = (int)raw;
        _position += length;
        return EnvelopeFailure.None;
    }

    /// <summary>
    /// Reads a varint: at most 10 bytes, the tenth at most 0x01 (no value above 2^64 - 1), and no
    /// redundant trailing 0x00 group (only the minimal encoding of each value is accepted).
    /// </summary>
    private EnvelopeFailure ReadVarint(out ulong value)
    {
        value = 0;
        for (int i = 0; i < MaxVarintLength; i++)
        {
            if (_position >= _end)
            {
                return EnvelopeFailure.Truncated;
            }

            byte b = _envelope[_position];
            _position++;
            if (i == MaxVarintLength - 1 && b > 1)
            {
                return EnvelopeFailure.MalformedVarint;
            }

            value |= (ulong)(b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0)
            {
                return i > 0 && b == 0 ? EnvelopeFailure.MalformedVarint : EnvelopeFailure.None;
            }
        }

        // Unreachable: the tenth byte either ended the varint or was refused above.
        return EnvelopeFailure.MalformedVarint;
    }
}
