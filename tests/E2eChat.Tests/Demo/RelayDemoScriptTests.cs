using E2eChat.Demo;

namespace E2eChat.Tests.Demo;

/// <summary>The README's main command: the story on the real relay (in process, loopback, SQLite in a temporary directory).</summary>
public sealed class RelayDemoScriptTests
{
    [Fact]
    public async Task RunAsync_WholeStoryOnTheRealRelay_SucceedsWithoutLeaks()
    {
        using var output = new StringWriter();

        RelayDemoResult result = await RelayDemoScript.RunAsync(output);

        string text = output.ToString();
        Assert.True(result.Succeeded, text);
        Assert.Empty(result.Problems);
        Assert.Empty(result.Leaks);
        Assert.True(result.RelayFilesBytes > 0);

        // Sam and the helpdesk show Alice's 2 messages, Alice shows 2 answers, the helpdesk 1 sync copy.
        Assert.Equal(7, result.MessagesShown);
        Assert.True(result.DuplicatesIgnored >= 2, text);
        Assert.Equal(1, result.RefusedByRelay);
        Assert.Equal(1, result.DroppedByDevice);
        Assert.Contains("helpdesk-cloud (disclosed before the first message)", text, StringComparison.Ordinal);
        Assert.Contains("relay: Refused (NoConsent)", text, StringComparison.Ordinal);
        Assert.Contains("Blocked, never shown", text, StringComparison.Ordinal);
        Assert.Contains("Utility               1", text, StringComparison.Ordinal);
        Assert.Contains("no leak", text, StringComparison.Ordinal);
        Assert.DoesNotContain("!! expected", text, StringComparison.Ordinal);
    }
}
