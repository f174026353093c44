using E2eChat.Demo;

namespace E2eChat.Tests.Demo;

public sealed class DemoScriptTests
{
    [Fact]
    public async Task RunAsync_WholeDemo_SucceedsWithoutLeaks()
    {
        using var output = new StringWriter();

        DemoResult result = await DemoScript.RunAsync(output);

        string text = output.ToString();
        Assert.True(result.Succeeded, text);
        Assert.Empty(result.Problems);
        Assert.Empty(result.Leaks);
        Assert.True(result.SafetyNumbersMatch);

        // 2 customer messages x 2 agent devices, then 9 more messages each to 2 devices.
        Assert.Equal(22, result.EnvelopesAccepted);
        Assert.Equal(22, result.Decrypted);
        Assert.Equal(1, result.DuplicatesRefused);
        Assert.Equal(1, result.EnvelopesRefused);

        // Sam sends 3 messages and Priya 2, each to the customer and the other agent device.
        Assert.Equal(new Dictionary<string, int> { [DemoScript.Business] = 10 }, result.BusinessMessages);
        Assert.Contains("refused as Duplicate, not shown twice", text, StringComparison.Ordinal);
        Assert.Contains("relay refused it: UnsupportedVersion", text, StringComparison.Ordinal);
        Assert.Contains("no leak", text, StringComparison.Ordinal);

        // Started from a signed contact link (QR code), with who runs each device and the hosted endpoint shown.
        Assert.Contains("\"Priya (night desk)\" (Hosted by Nightdesk Support Ltd)", text, StringComparison.Ordinal);
        Assert.Contains("swaps Acme Shoes' account key is caught: AccountKeyMismatch", text, StringComparison.Ordinal);
        Assert.Contains("end-to-end to the business and to Nightdesk Support Ltd (hosted)", text, StringComparison.Ordinal);
        Assert.Contains("\u2580\u2580\u2580\u2580", text, StringComparison.Ordinal);
        Assert.Equal(2, text.Split("[referral \"ad-2026-12-trail\" from the contact link]").Length - 1);
        Assert.DoesNotContain("PROBLEM", text, StringComparison.Ordinal);
    }
}
