namespace E2eChat.Cli.Vectors;

/// <summary>The outcome of verifying one vector file.</summary>
/// <param name="FileName">The file name.</param>
/// <param name="Checked">How many vectors were checked.</param>
/// <param name="Failures">One line per failure: the vector name and what differed.</param>
internal sealed record FileVerification(string FileName, int Checked, IReadOnlyList<string> Failures)
{
    /// <summary>How many failed (a file that cannot be read counts as one failure).</summary>
    internal int Failed => Failures.Count;
}
