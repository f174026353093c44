namespace E2eChat.Tests.Crypto.Wycheproof;

/// <summary>
/// Runs the cases of one file, collects every failure (rather than stopping at the first) and
/// checks at the end that exactly the expected number of cases ran, so that a file that is
/// silently skipped, truncated or filtered the wrong way fails the test.
/// </summary>
internal sealed class WycheproofTally
{
    private readonly string _fileName;
    private readonly List<string> _failures = [];

    /// <summary>Creates a tally for one file.</summary>
    /// <param name="fileName">The file name, for messages.</param>
    internal WycheproofTally(string fileName)
    {
        _fileName = fileName;
    }

    /// <summary>How many cases ran.</summary>
    internal int Count { get; private set; }

    /// <summary>How many ran cases were expected to be valid (or acceptable) and how many invalid.</summary>
    internal int ValidCount { get; private set; }

    /// <summary>How many ran cases were expected to be invalid.</summary>
    internal int InvalidCount { get; private set; }

    /// <summary>
    /// Runs one case. <paramref name="check"/> returns <see langword="null"/> when the case behaved
    /// as expected, otherwise what went wrong; an exception it throws is a failure too.
    /// </summary>
    /// <param name="testCase">The case.</param>
    /// <param name="check">The check.</param>
    internal void Run(WycheproofCase testCase, Func<WycheproofCase, string?> check)
    {
        Count++;
        if (testCase.IsInvalid)
        {
            InvalidCount++;
        }
        else
        {
            ValidCount++;
        }

        string? failure;
        try
        {
            failure = check(testCase);
        }
#pragma warning disable CA1031 // Any exception from the code under test is a recorded failure.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            failure = $"threw {exception.GetType().Name}: {exception.Message}";
        }

        if (failure is not null)
        {
            _failures.Add($"{testCase}: {failure}");
        }
    }

    /// <summary>Asserts that no case failed and that exactly <paramref name="expectedCount"/> ran.</summary>
    /// <param name="expectedCount">The number of cases the test must have run.</param>
    internal void AssertAllPassed(int expectedCount)
    {
        Assert.True(
            _failures.Count == 0,
            $"{_failures.Count} of {Count} cases of {_fileName} failed:{Environment.NewLine}{string.Join(Environment.NewLine, _failures)}");
        Assert.True(Count == expectedCount, $"{_fileName}: ran {Count} cases, expected {expectedCount}.");
    }
}
