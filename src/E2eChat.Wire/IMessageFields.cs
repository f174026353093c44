namespace E2eChat.Wire;

/// <summary>
/// What a codec collects while <see cref="ProtoMessage.Read{TFields, TView}"/> reads one message: the
/// value of each field, read and checked against that field's own rules once its tag has passed the
/// schema's checks, and at the end the message's view. Implemented by a private struct of each codec,
/// so the shared loop is compiled once per codec and calls it directly.
/// </summary>
/// <typeparam name="TView">The view of a valid message.</typeparam>
internal interface IMessageFields<TView>
    where TView : struct
{
    /// <summary>Reads the value of <paramref name="field"/> and checks it.</summary>
    /// <param name="reader">The reader, at the field's value.</param>
    /// <param name="buffer">The bytes the reader reads (for a nested message or a value's content).</param>
    /// <param name="field">The field number, one the schema declares, in ascending order.</param>
    /// <returns><see cref="EnvelopeFailure.None"/> or the rule broken.</returns>
    EnvelopeFailure Read(ref ProtoReader reader, ReadOnlySpan<byte> buffer, int field);

    /// <summary>The view of the fields read, once the whole message is valid.</summary>
    /// <returns>The view.</returns>
    TView ToView();
}
