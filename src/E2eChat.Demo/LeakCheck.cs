using System.Buffers.Binary;

namespace E2eChat.Demo;

/// <summary>
/// Checks that no plaintext reached the relay: neither a whole message nor any
/// <see cref="WindowLength"/>-byte window of a longer one occurs anywhere in the bytes it stored.
/// </summary>
internal static class LeakCheck
{
    /// <summary>
    /// The window length. Eight bytes of text are specific enough that a match in random ciphertext is
    /// practically impossible (2^-64 per position), and short enough to catch a partial leak.
    /// </summary>
    internal const int WindowLength = 8;

    /// <summary>
    /// Searches <paramref name="relayStored"/> for each plaintext: a plaintext of at most
    /// <see cref="WindowLength"/> bytes as a whole, a longer one by each of its windows. Plaintexts
    /// should not be trivially short (a two-byte text is found in random bytes by chance).
    /// </summary>
    /// <returns>One finding per leaked plaintext; empty when nothing leaked.</returns>
    internal static IReadOnlyList<LeakFinding> FindLeaks(IEnumerable<byte[]> relayStored, IEnumerable<byte[]> plaintexts)
    {
        ArgumentNullException.ThrowIfNull(relayStored);
        ArgumentNullException.ThrowIfNull(plaintexts);
        List<byte[]> records = [.. relayStored];

        // Every window of every stored record, with where it first occurs.
        var windows = new Dictionary<ulong, (int Record, int Offset)>();
        for (int r = 0; r < records.Count; r++)
        {
            for (int i = 0; i + WindowLength <= records[r].Length; i++)
            {
                windows.TryAdd(BinaryPrimitives.ReadUInt64LittleEndian(records[r].AsSpan(i)), (r, i));
            }
        }

        var findings = new List<LeakFinding>();
        int index = 0;
        foreach (byte[] plaintext in plaintexts)
        {
            LeakFinding? finding = plaintext.Length <= WindowLength
                ? FindWhole(records, plaintext, index)
                : FindWindows(windows, plaintext, index);
            if (finding is not null)
            {
                findings.Add(finding);
            }

            index++;
        }

        return findings;
    }

    private static LeakFinding? FindWhole(List<byte[]> records, byte[] plaintext, int index)
    {
        if (plaintext.Length == 0)
        {
            return null;
        }

        for (int r = 0; r < records.Count; r++)
        {
            int at = records[r].AsSpan().IndexOf(plaintext);
            if (at >= 0)
            {
                return new LeakFinding(index, 0, plaintext.Length, r, at, 1);
            }
        }

        return null;
    }

    private static LeakFinding? FindWindows(Dictionary<ulong, (int Record, int Offset)> windows, byte[] plaintext, int index)
    {
        LeakFinding? first = null;
        int found = 0;
        for (int i = 0; i + WindowLength <= plaintext.Length; i++)
        {
            if (windows.TryGetValue(BinaryPrimitives.ReadUInt64LittleEndian(plaintext.AsSpan(i)), out (int Record, int Offset) where))
            {
                found++;
                first ??= new LeakFinding(index, i, WindowLength, where.Record, where.Offset, 0);
            }
        }

        return first is null ? null : first with { PiecesFound = found };
    }
}
