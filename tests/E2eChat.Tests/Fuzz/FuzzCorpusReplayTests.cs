using E2eChat.Fuzz;
using E2eChat.Tests.Vectors;

namespace E2eChat.Tests.Fuzz;

/// <summary>
/// Replays every committed fuzz corpus file (tests/E2eChat.Fuzz/corpus/&lt;target&gt;/, seeds and
/// every finding ever fixed) through its target, so that CI catches a regression without afl++.
/// </summary>
public sealed class FuzzCorpusReplayTests
{
    private static string CorpusDirectory => Path.Combine(RepositoryRoot.Path, "tests", "E2eChat.Fuzz", "corpus");

    public static TheoryData<string> Targets => [.. FuzzTargets.All.Keys];

    [Fact]
    public void Corpus_EveryTarget_HasADirectoryWithInputs()
    {
        foreach (string target in FuzzTargets.All.Keys)
        {
            Assert.True(Directory.Exists(Path.Combine(CorpusDirectory, target)), target);
            Assert.NotEmpty(Directory.GetFiles(Path.Combine(CorpusDirectory, target)));
        }

        Assert.Equal(FuzzTargets.All.Keys.Order(), Directory.GetDirectories(CorpusDirectory).Select(Path.GetFileName).Order());
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void Replay_EveryCorpusFile_HoldsTheTargetsProperties(string target)
    {
        Action<byte[]> run = FuzzTargets.All[target];
        foreach (string file in Directory.GetFiles(Path.Combine(CorpusDirectory, target)).Order(StringComparer.Ordinal))
        {
            Exception? thrown = Record.Exception(() => run(File.ReadAllBytes(file)));
            Assert.True(thrown is null, $"{target}/{Path.GetFileName(file)}: {thrown}");
        }
    }

    [Fact]
    public void Check_BrokenProperty_ThrowsFuzzFinding()
    {
        // The targets report by throwing: a property that does not hold must not pass silently.
        Assert.Throws<FuzzFindingException>(() => FuzzTargets.Check(false, "broken"));
    }
}
