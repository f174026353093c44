namespace E2eChat.Relay.Server.Tests.MultiNode;

/// <summary>Restarts the test cluster itself, so it runs alone, after the parallel tests.</summary>
[CollectionDefinition(nameof(DatabaseRestartTests), DisableParallelization = true)]
public sealed class DatabaseRestartGroup;

/// <summary>The database restarted under load: the nodes retry, reconnect and lose nothing.</summary>
[Collection(nameof(DatabaseRestartTests))]
public sealed class DatabaseRestartTests
{
    [Fact]
    public async Task DatabaseRestartedUnderLoad_NothingLostNothingTwice()
    {
        await using PostgresRelayCluster cluster = await PostgresRelayCluster.StartAsync(2, FaultTests.Settings);
        var traffic = new FailoverTraffic(() => cluster.Channels);
        int lost = await traffic.RunAsync(pairs: 4, messages: 60, batch: 5, fault: PostgresTestDatabase.RestartAsync);
        FaultAssert.NothingLostNothingTwice(traffic, lost, 240);
    }
}
