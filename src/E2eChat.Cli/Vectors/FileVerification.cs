namespace E2eChat.Cli.Vectors;

/// <summary>The outcome of verifying one vector file.</summary>
internal sealed class FileVerification
{
    /// <summary>Creates the outcome.</summary>
    internal FileVerification(string fileName, int checkedCount, IReadOnlyList<string> failures)
    {
        FileName = fileName;
        Checked = checkedCount;
        Failures = failures;
    }

    /// <summary>The file name.</summary>
    internal string FileName { get; }

    /// <summary>How many vectors were checked.</summary>
    internal int Checked { get; }

    /// <summary>How many failed (a file that cannot be read counts as one failure).</summary>
    internal int Failed => Failures.Count;

    /// <summary>One line per failure: the vector name and what differed.</summary>
    internal IReadOnlyList<string> Failures { get; }
}
