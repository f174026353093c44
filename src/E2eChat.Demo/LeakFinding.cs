namespace E2eChat.Demo;

/// <summary>A plaintext (or a piece of one) found in the bytes the relay stored.</summary>
/// <param name="PlaintextIndex">Which plaintext, by its position in the list checked.</param>
/// <param name="PlaintextOffset">Where the first piece found starts in that plaintext.</param>
/// <param name="Length">The piece's length: the plaintext's, or the window length for longer plaintexts.</param>
/// <param name="RecordIndex">Which stored record holds it, by position.</param>
/// <param name="RecordOffset">Where in that record.</param>
/// <param name="PiecesFound">How many of the plaintext's windows occur in the stored bytes.</param>
internal sealed record LeakFinding(int PlaintextIndex, int PlaintextOffset, int Length, int RecordIndex, int RecordOffset, int PiecesFound)
{
    /// <summary>Says where the leak is, without repeating the plaintext.</summary>
    public override string ToString() =>
        $"plaintext {PlaintextIndex}: bytes {PlaintextOffset}..{PlaintextOffset + Length} occur in stored envelope {RecordIndex} at offset {RecordOffset} ({PiecesFound} window(s) found)";
}
