namespace E2eChat;

/// <summary>
/// What <see cref="StoredRecordFrame.TryLoad"/> needs to know of one stored record type: how to build
/// it from its parsed <c>storage.proto</c> body and how to write it again. Implemented by small
/// structs, so the shared loader is compiled once per record type and calls these directly.
/// </summary>
/// <typeparam name="TData">The body's <c>storage.proto</c> message.</typeparam>
/// <typeparam name="TRecord">The loaded record.</typeparam>
internal interface IStoredRecordLoader<in TData, TRecord>
{
    /// <summary>Builds the record from its parsed body.</summary>
    /// <param name="data">The parsed body.</param>
    /// <returns>The record, or <see langword="null"/> when the body breaks a rule of the record.</returns>
    TRecord? FromData(TData data);

    /// <summary>Writes the record again, as its <c>Serialize</c> does.</summary>
    /// <param name="record">The record.</param>
    /// <returns>The canonical encoding (the caller wipes it).</returns>
    byte[] Serialize(TRecord record);
}
