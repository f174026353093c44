using E2eChat.LoadTest;
using E2eChat.Relay.Server.Tests.Infrastructure;

namespace E2eChat.Relay.Server.Tests.LoadTool;

/// <summary>The load tool's <c>client</c> mode, run small: two ChatDevices over the relay hand over every message once.</summary>
[Collection(LoadToolGroup.Name)]
public sealed class ClientScenarioTests : IDisposable
{
    private static readonly TimeSpan s_bound = TimeSpan.FromSeconds(300);
    private readonly string _directory = Directory.CreateTempSubdirectory("e2echat-client-scenario-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RunAsync_TwoDevices_EveryMessageOnceWithTimings(bool inMemory)
    {
        await using RelayTestServer relay = await RelayTestServer.StartAsync(settings: ["--Relay:RateLimitBurst=1000000", "--Relay:RateLimitPerSecond=1000000"]);

        ClientResult result = await ClientScenario.RunAsync(relay.Address, 20, inMemory, _directory, s_bound);

        Assert.Equal(20, result.Messages);
        Assert.Equal(0, result.Lost);
        Assert.Equal(0, result.Duplicated);
        Assert.True(result.P99 >= result.P50);
        Assert.True(result.SenderStoreMicros > 0 && result.EncryptMicros >= result.SenderStoreMicros);
        Assert.True(result.RelaySendMicros > 0 && result.DecryptCommitMicros > 0 && result.HandOverMicros > 0);
        Assert.Equal(inMemory, !Directory.EnumerateFiles(_directory, "*.db", SearchOption.AllDirectories).Any());
    }
}
