namespace E2eChat.Cli.Vectors;

/// <summary>The fixed clock of the vector files.</summary>
internal static class VectorClock
{
    /// <summary>
    /// 2026-01-01T00:00:00Z in Unix milliseconds: the "now", issue time or timestamp every file
    /// starts from, so that no vector depends on when it was generated.
    /// </summary>
    internal const ulong Start = 1_767_225_600_000;
}
