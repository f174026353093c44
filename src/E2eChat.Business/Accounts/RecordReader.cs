using E2eChat.Wire;

namespace E2eChat;

/// <summary>
/// The strict canonical protobuf reader of PROTOCOL.md section 8 for one message (the records of
/// sections 13-15), with repeated fields: minimal varints, declared fields with their wire type in
/// ascending order, each once (a repeated field: consecutive entries), no default value written.
/// Every byte is read by the wire layer's <see cref="ProtoReader"/>; this adapter only turns its
/// failures into the encoding failures of <see cref="E2eChatFailure"/> (values 1-8) or, for a missing
/// field, the code the caller's table names. It never throws and allocates nothing.
/// </summary>
internal ref struct RecordReader
{
    private readonly ReadOnlySpan<byte> _bytes;
    private ProtoReader _reader;

    /// <summary>Creates a reader over one whole message.</summary>
    /// <param name="bytes">The message's bytes.</param>
    internal RecordReader(ReadOnlySpan<byte> bytes)
    {
        _bytes = bytes;
        _reader = new ProtoReader(bytes, 0, bytes.Length);
    }

    /// <summary>Whether every byte has been read.</summary>
    internal readonly bool IsAtEnd => _reader.IsAtEnd;

    /// <summary>The number of the last field read (0 before the first).</summary>
    internal readonly int LastField => _reader.LastField;

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
        int previous = _reader.LastField;
        E2eChatFailure error = ToFailure(_reader.ReadField(required.Length, lengthDelimitedFields, repeatedFields, out field));
        return error != E2eChatFailure.None ? (byte)error : FirstMissing(required, previous, field);
    }

    /// <summary>Section 8 step 3: the first required field after the last one read that is missing.</summary>
    /// <param name="required">The table given to <see cref="ReadField"/>.</param>
    /// <returns>0 or the missing field's code.</returns>
    internal readonly byte CheckEnd(ReadOnlySpan<byte> required) => FirstMissing(required, _reader.LastField, required.Length);

    /// <summary>Reads a tag: a varint of at most 32 bits, split into field number and wire type.</summary>
    /// <param name="number">The field number.</param>
    /// <param name="wireType">The wire type.</param>
    /// <returns>The encoding failure, if any.</returns>
    internal E2eChatFailure ReadTag(out int number, out int wireType) => ToFailure(_reader.ReadTag(out number, out wireType));

    /// <summary>Reads a nonzero varint value of up to 64 bits (<c>uint64</c> and enums).</summary>
    /// <param name="value">The value.</param>
    /// <returns>The encoding failure, if any (<see cref="E2eChatFailure.DefaultValueWritten"/> for 0).</returns>
    internal E2eChatFailure ReadUInt64(out ulong value) => ToFailure(_reader.ReadUInt64(out value));

    /// <summary>Reads a nonzero <c>uint32</c> value (above 2^32 - 1 is <see cref="E2eChatFailure.MalformedVarint"/>).</summary>
    /// <param name="value">The value.</param>
    /// <returns>The encoding failure, if any.</returns>
    internal E2eChatFailure ReadUInt32(out uint value) => ToFailure(_reader.ReadUInt32(out value));

    /// <summary>Reads a nonempty bytes or string value.</summary>
    /// <param name="value">The value's bytes.</param>
    /// <returns>The encoding failure, if any (<see cref="E2eChatFailure.DefaultValueWritten"/> when empty).</returns>
    internal E2eChatFailure ReadBytes(out ReadOnlySpan<byte> value)
    {
        E2eChatFailure error = ToFailure(_reader.ReadBytes(out int start, out int length));
        value = error == E2eChatFailure.None ? _bytes.Slice(start, length) : default;
        return error;
    }

    /// <summary>Reads a nested message's bytes (an empty message is a present message).</summary>
    /// <param name="value">The nested message's bytes.</param>
    /// <returns>The encoding failure, if any.</returns>
    internal E2eChatFailure ReadMessage(out ReadOnlySpan<byte> value)
    {
        E2eChatFailure error = ToFailure(_reader.ReadMessage(out int start, out int end));
        value = error == E2eChatFailure.None ? _bytes[start..end] : default;
        return error;
    }

    /// <summary>
    /// Reads a signed wrapper (section 8): a message of bytes fields only, at most
    /// <paramref name="maxLength"/> bytes long. A field with a nonzero entry in
    /// <paramref name="lengths"/> must have exactly that length; otherwise, like a missing required
    /// field, it fails with its code in <paramref name="required"/>.
    /// </summary>
    /// <param name="bytes">The message's bytes.</param>
    /// <param name="maxLength">The longest message read (<see cref="E2eChatFailure.TooLarge"/> above).</param>
    /// <param name="required">Indexed by field number: the code when the field is missing or has the wrong length.</param>
    /// <param name="lengths">Indexed by field number: the one valid length, or 0 for any.</param>
    /// <param name="values">Indexed by field number: where each field's value is in <paramref name="bytes"/>.</param>
    /// <returns>The first failure, or <see cref="E2eChatFailure.None"/>.</returns>
    internal static E2eChatFailure ReadBytesFields(ReadOnlySpan<byte> bytes, int maxLength, ReadOnlySpan<byte> required, ReadOnlySpan<int> lengths, Span<Range> values)
    {
        if (bytes.Length > maxLength)
        {
            return E2eChatFailure.TooLarge;
        }

        // Every declared field, 1 to required.Length - 1, is length-delimited.
        uint lengthDelimited = (1u << required.Length) - 2;
        var reader = new RecordReader(bytes);
        while (!reader.IsAtEnd)
        {
            byte code = reader.ReadField(required, lengthDelimited, 0, out int field);
            if (code != 0)
            {
                return (E2eChatFailure)code;
            }

            E2eChatFailure error = ToFailure(reader._reader.ReadBytes(out int start, out int length));
            if (error != E2eChatFailure.None)
            {
                return error;
            }

            if (lengths[field] != 0 && length != lengths[field])
            {
                return (E2eChatFailure)required[field];
            }

            values[field] = new Range(start, start + length);
        }

        return (E2eChatFailure)reader.CheckEnd(required);
    }

    /// <summary>
    /// The reader's encoding failures as the <see cref="E2eChatFailure"/> members of the same name. Without a table it raises no other
    /// failure, so the last arm is unreachable (a bug in this file, not hostile input).
    /// </summary>
    private static E2eChatFailure ToFailure(EnvelopeFailure failure) => failure switch
    {
        EnvelopeFailure.None => E2eChatFailure.None,
        EnvelopeFailure.TooLarge => E2eChatFailure.TooLarge,
        EnvelopeFailure.Truncated => E2eChatFailure.Truncated,
        EnvelopeFailure.MalformedVarint => E2eChatFailure.MalformedVarint,
        EnvelopeFailure.UnknownField => E2eChatFailure.UnknownField,
        EnvelopeFailure.DuplicateField => E2eChatFailure.DuplicateField,
        EnvelopeFailure.FieldsOutOfOrder => E2eChatFailure.FieldsOutOfOrder,
        EnvelopeFailure.WrongWireType => E2eChatFailure.WrongWireType,
        EnvelopeFailure.DefaultValueWritten => E2eChatFailure.DefaultValueWritten,
        _ => throw new InvalidOperationException($"The wire reader raised {failure}, which is not an encoding failure."),
    };

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
