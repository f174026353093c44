using E2eChat.LoadTest;
using E2eChat.Relay.Server.Storage;
using E2eChat.Relay.Server.Storage.Sqlite;
using E2eChat.Relay.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace E2eChat.Relay.Server.Tests.LoadTool;

/// <summary>
/// The load tool's scenarios, run small: each must finish with every message delivered once (its first
/// run hung because the transport floor's Send and Receive had separate queues).
/// </summary>
[Collection(LoadToolGroup.Name)]
public sealed class ScenarioTests
{
    // Generous for a loaded CI machine; a scenario that stalls fails at this bound instead of hanging.
    private static readonly Settings s_small = new(Pairs: 2, Messages: 20, Batch: 5, Streams: 0, LatencySeconds: 1, Synchronous: "Normal", BoundSeconds: 300);

    [Fact]
    public async Task ThroughputAsync_TransportFloor_DeliversEveryMessageOnce()
    {
        await using WebApplication floor = await FloorServer.StartAsync();

        ThroughputResult result = await Scenario.ThroughputAsync(new Target("floor", FloorServer.GetAddress(floor), authenticate: false), s_small);

        Assert.Equal(40, result.Messages);
        Assert.Equal(0, result.Lost);
        Assert.Equal(0, result.Duplicated);
        Assert.Null(result.Writer);
    }

    [Fact]
    public async Task ThroughputAsync_Relay_DeliversEveryMessageOnce_WriterTimesOfTheRound()
    {
        await using RelayTestServer relay = await RelayTestServer.StartAsync(settings: ["--Relay:RateLimitBurst=1000000", "--Relay:RateLimitPerSecond=1000000"]);
        var store = (SqliteRelayStore)relay.Services.GetRequiredService<IRelayStore>();

        ThroughputResult result = await Scenario.ThroughputAsync(new Target("relay", relay.Address, authenticate: true), s_small, () => store.WriterTimes);

        Assert.Equal(0, result.Lost);
        Assert.Equal(0, result.Duplicated);
        SqliteWriterTimes writer = Assert.NotNull(result.Writer);
        Assert.True(writer.Groups > 0, writer.ToString());
        Assert.True(writer.Writes >= writer.Groups, writer.ToString());
        Assert.True(writer.Running > TimeSpan.Zero, writer.ToString());
    }

    [Fact]
    public async Task LatencyAsync_Relay_MeasuresEveryMessage()
    {
        await using RelayTestServer relay = await RelayTestServer.StartAsync(settings: ["--Relay:RateLimitBurst=1000000", "--Relay:RateLimitPerSecond=1000000"]);

        LatencyResult result = await Scenario.LatencyAsync(new Target("relay", relay.Address, authenticate: true), s_small, rate: 40);

        Assert.Equal(0, result.Lost);
        Assert.Equal(40, result.Messages);
    }

    [Fact]
    public async Task StreamMemoryAsync_MoreStreamsThanOneConnectionAllows_OpensEveryStream()
    {
        // 3 connections' worth at a limit of 50 streams per connection: the client must open more connections.
        await using RelayTestServer relay = await RelayTestServer.StartAsync(settings: ["--Relay:MaxStreamsPerConnection=50"]);

        MemoryResult result = await Scenario.StreamMemoryAsync(new Target("relay", relay.Address, authenticate: true), relay.Services, 150, s_small.Bound);

        Assert.Equal(150, result.Streams);
        Assert.Equal(150, result.OpenStreams);
    }
}
