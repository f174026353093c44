using E2eChat.Demo;

namespace E2eChat.Tests.Demo;

public sealed class DemoResultTests
{
    private static DemoResult Clean() => new(22, 1, 22, 1, new Dictionary<string, int>(), SafetyNumbersMatch: true, [], []);

    [Fact]
    public void Succeeded_NothingWrong_IsTrue() => Assert.True(Clean().Succeeded);

    [Fact]
    public void Succeeded_AnyLeakProblemOrMismatch_IsFalse()
    {
        Assert.False((Clean() with { Leaks = [new LeakFinding(0, 0, 8, 3, 100, 1)] }).Succeeded);
        Assert.False((Clean() with { Problems = ["#05 to alice.1 did not decrypt"] }).Succeeded);
        Assert.False((Clean() with { SafetyNumbersMatch = false }).Succeeded);
    }
}
