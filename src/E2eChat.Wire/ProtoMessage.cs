namespace E2eChat.Wire;

/// <summary>
/// The read path the fixed-schema codecs share (PROTOCOL.md section 8): one loop that checks each tag
/// against the schema, hands the value to the codec's <see cref="IMessageFields{TView}"/>, and at the end
/// checks that no required field is missing; and the value checks several messages make. Generic over
/// a struct, so it allocates nothing and each codec gets its own compiled loop.
/// </summary>
internal static class ProtoMessage
{
    /// <summary>Reads the message at <c>buffer[start..end]</c>, stopping at the first rule broken.</summary>
    /// <typeparam name="TFields">The codec's field collector.</typeparam>
    /// <typeparam name="TView">The view of a valid message.</typeparam>
    /// <param name="buffer">The bytes holding the message.</param>
    /// <param name="start">Where the message starts.</param>
    /// <param name="end">Where it ends (exclusive).</param>
    /// <param name="required">The schema's required-field table (see <see cref="ProtoReader.ReadField(ReadOnlySpan{EnvelopeFailure}, uint, out int)"/>).</param>
    /// <param name="lengthDelimitedFields">Bit <c>n</c> set when field <c>n</c> is length-delimited.</param>
    /// <param name="view">On success, the message's view; otherwise <see langword="default"/>.</param>
    /// <returns><see cref="EnvelopeFailure.None"/> or the first rule broken.</returns>
    internal static EnvelopeFailure Read<TFields, TView>(ReadOnlySpan<byte> buffer, int start, int end, ReadOnlySpan<EnvelopeFailure> required, uint lengthDelimitedFields, out TView view)
        where TFields : struct, IMessageFields<TView>
        where TView : struct
    {
        view = default;
        TFields fields = default;
        var reader = new ProtoReader(buffer, start, end);
        while (!reader.IsAtEnd)
        {
            EnvelopeFailure failure = reader.ReadField(required, lengthDelimitedFields, out int field);
            if (failure == EnvelopeFailure.None)
            {
                failure = fields.Read(ref reader, buffer, field);
            }

            if (failure != EnvelopeFailure.None)
            {
                return failure;
            }
        }

        EnvelopeFailure missing = reader.CheckEnd(required);
        if (missing == EnvelopeFailure.None)
        {
            view = fields.ToView();
        }

        return missing;
    }

    /// <summary>Reads a bytes value that must be exactly <paramref name="expected"/> bytes long.</summary>
    /// <param name="reader">The reader, at the value.</param>
    /// <param name="expected">The one valid length.</param>
    /// <param name="wrongLength">The failure for any other length.</param>
    /// <param name="value">Where the value is.</param>
    /// <returns><see cref="EnvelopeFailure.None"/>, an encoding failure, or <paramref name="wrongLength"/>.</returns>
    internal static EnvelopeFailure ReadFixedLength(ref ProtoReader reader, int expected, EnvelopeFailure wrongLength, out Range value)
    {
        EnvelopeFailure failure = ReadRange(ref reader, out value, out int length);
        return failure == EnvelopeFailure.None && length != expected ? wrongLength : failure;
    }

    /// <summary>Reads a ciphertext: a padding bucket plus the 16-byte tag (PROTOCOL.md section 6).</summary>
    /// <param name="reader">The reader, at the value.</param>
    /// <param name="value">Where the ciphertext is.</param>
    /// <returns><see cref="EnvelopeFailure.None"/>, an encoding failure, or <see cref="EnvelopeFailure.InvalidCiphertextLength"/>.</returns>
    internal static EnvelopeFailure ReadCiphertext(ref ProtoReader reader, out Range value)
    {
        EnvelopeFailure failure = ReadRange(ref reader, out value, out int length);
        return failure == EnvelopeFailure.None && !PaddingBuckets.IsValidCiphertextLength(length) ? EnvelopeFailure.InvalidCiphertextLength : failure;
    }

    private static EnvelopeFailure ReadRange(ref ProtoReader reader, out Range value, out int length)
    {
        EnvelopeFailure failure = reader.ReadBytes(out int start, out length);
        value = new Range(start, start + length);
        return failure;
    }
}
