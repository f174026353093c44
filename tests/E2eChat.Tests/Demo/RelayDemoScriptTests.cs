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

        // Sam and the helpdesk show Alice's 2 messages, Alice shows 2 answers (one out of order) and the update, the helpdesk 2 sync copies.
        Assert.Equal(9, result.MessagesShown);
        Assert.True(result.DuplicatesIgnored >= 2, text);
        Assert.Equal(2, result.RefusedByRelay);

        // Acme's status ad is seen on Alice's phone, then gone from it and from the relay after 25 hours.
        Assert.Equal(1, result.StatusSeen);
        Assert.Contains("Alice sees   acme-shoes.1's status", text, StringComparison.Ordinal);
        Assert.Contains("Alice's phone: 0 status listed, 1 deleted from its store; the helpdesk (offline all day): 0 delivered", text, StringComparison.Ordinal);
        Assert.Contains($"{"Marketing",-14} {2,8}", text, StringComparison.Ordinal);

        // The update queued before the block is dropped on the device, or purged by a relay that purges on block.
        Assert.InRange(result.DroppedByDevice, 0, 1);
        Assert.Contains("helpdesk-cloud (disclosed before the first message)", text, StringComparison.Ordinal);
        Assert.Contains("relay: Refused (NoConsent)", text, StringComparison.Ordinal);
        Assert.Contains("Alice allows: order updates (UTILITY)", text, StringComparison.Ordinal);
        Assert.Contains("GRANT serial 1: relay accepted", text, StringComparison.Ordinal);
        Assert.Contains("as proof: signature verified", text, StringComparison.Ordinal);
        Assert.Contains("the late answer decrypted", text, StringComparison.Ordinal);
        Assert.Contains("BLOCK serial 2: relay accepted, now blocked: True", text, StringComparison.Ordinal);
        Assert.Contains("relay: Refused (Blocked)", text, StringComparison.Ordinal);
        Assert.Contains("Utility               2", text, StringComparison.Ordinal);
        Assert.Contains("no leak", text, StringComparison.Ordinal);
        Assert.DoesNotContain("!! expected", text, StringComparison.Ordinal);
    }
}
