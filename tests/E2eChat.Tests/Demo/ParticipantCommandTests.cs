using E2eChat.Demo;

namespace E2eChat.Tests.Demo;

/// <summary>
/// The demo's participant commands (what <c>dotnet run --project src/E2eChat.Demo -- business|customer ...</c>
/// runs in separate processes), run in process against a relay on loopback: the business prints its
/// contact link and answers; the customer opens the link, writes and gets the answer, twice, the second
/// run continuing from its data directory.
/// </summary>
public sealed class ParticipantCommandTests : IDisposable
{
    private static readonly TimeSpan s_bound = TimeSpan.FromSeconds(120);
    private readonly string _root = Directory.CreateTempSubdirectory("e2echat-participants-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task RunAsync_BusinessAndCustomer_CustomerGetsTheAnswerTwice()
    {
        await using DemoRelay relay = await DemoRelay.StartAsync(Path.Combine(_root, "relay"), TimeProvider.System);
        using var bound = new CancellationTokenSource(s_bound);
        using var businessText = new StringWriter();
        TextWriter businessOutput = TextWriter.Synchronized(businessText);
        var link = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        Task<int> business = Task.Run(() => ParticipantCommand.RunAsync(
            ["business", "--relay", relay.Address.ToString(), "--data", Path.Combine(_root, "business"), "--replies", "2"],
            businessOutput,
            link.SetResult,
            bound.Token));
        string uri = await link.Task.WaitAsync(bound.Token);

        string[] customer = ["customer", "--relay", relay.Address.ToString(), "--data", Path.Combine(_root, "customer"), "--link", uri];
        using var first = new StringWriter();
        Assert.True(await ParticipantCommand.RunAsync(customer, first, null, bound.Token) == 0, first.ToString());
        using var second = new StringWriter();
        Assert.True(await ParticipantCommand.RunAsync([.. customer, "--text", "Is it shipped yet?"], second, null, bound.Token) == 0, second.ToString());

        Assert.True(await business == 0, businessText.ToString());
        string desk = businessText.ToString();
        Assert.Contains("e2echat:c/", desk, StringComparison.Ordinal);
        Assert.Contains("alice.1: \"Hi Acme! Where is my order AC-104-7731?\"", desk, StringComparison.Ordinal);
        Assert.Contains("alice.1: \"Is it shipped yet?\"", desk, StringComparison.Ordinal);
        Assert.Contains("OK: answered 2 message(s).", desk, StringComparison.Ordinal);
        Assert.Contains("the link verifies", first.ToString(), StringComparison.Ordinal);
        Assert.Contains("[SERVICE]: \"Hello alice, Sam from Acme Shoes here", first.ToString(), StringComparison.Ordinal);
        Assert.Contains("published at the relay", first.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("published at the relay", second.ToString(), StringComparison.Ordinal);
        Assert.Contains("OK: the business answered.", second.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_MissingLink_UsageAndExitCode2()
    {
        using var output = new StringWriter();

        int code = await ParticipantCommand.RunAsync(["customer", "--relay", "http://127.0.0.1:1", "--data", _root], output, null, CancellationToken.None);

        Assert.Equal(2, code);
        Assert.Contains("Missing --link.", output.ToString(), StringComparison.Ordinal);
    }
}
