using E2eChat.Relay.Server.Api;

namespace E2eChat.Relay.Server.Tests.MultiNode;

/// <summary>
/// Faults under bounded traffic across nodes over one PostgreSQL schema: every accepted message
/// arrives, none twice (small versions for CI; the load tool runs the large ones).
/// </summary>
public sealed class FaultTests
{
    /// <summary>Traffic settings: a missed wake-up costs at most this catch-up, and no rate limit interferes.</summary>
    internal static readonly string[] Settings = ["--Relay:CatchUpInterval=00:00:01", "--Relay:RateLimitBurst=100000", "--Relay:RateLimitPerSecond=100000"];

    [Fact]
    public async Task ConnectionsCutTwiceUnderLoad_NothingLostNothingTwice()
    {
        await using PostgresRelayCluster cluster = await PostgresRelayCluster.StartAsync(2, Settings);
        var traffic = new FailoverTraffic(() => cluster.Channels);
        int lost = await traffic.RunAsync(pairs: 4, messages: 60, batch: 5, fault: async () =>
        {
            Assert.True(await cluster.CutConnectionsAsync() > 0);
            await Task.Delay(100);
            await cluster.CutConnectionsAsync();
        });
        FaultAssert.NothingLostNothingTwice(traffic, lost, 240);
    }

    [Fact]
    public async Task NodeProcessKilledMidSendAndMidStream_ClientsMoveToTheOtherNode_NothingLostNothingTwice()
    {
        string directory = TempDirectory.Create();
        string schema = PostgresTestDatabase.NewSchemaName();
        string[] settings = ["--Relay:Store=Postgres", $"--Relay:PostgresConnectionString={PostgresTestDatabase.AdminConnectionString}", $"--Relay:PostgresSchema={schema}", .. Settings];
        RelayProcess? first = null;
        RelayProcess? second = null;
        var channels = new List<Grpc.Net.Client.GrpcChannel>();
        try
        {
            first = await RelayProcess.StartAsync(directory, settings);
            second = await RelayProcess.StartAsync(directory, settings);
            channels.Add(Grpc.Net.Client.GrpcChannel.ForAddress(first.Address));
            channels.Add(Grpc.Net.Client.GrpcChannel.ForAddress(second.Address));
            var traffic = new FailoverTraffic(() => channels);

            // Half the senders and half the receivers are on the first node when it is killed.
            int lost = await traffic.RunAsync(pairs: 4, messages: 60, batch: 5, fault: () =>
            {
                first.Kill();
                return Task.CompletedTask;
            });
            FaultAssert.NothingLostNothingTwice(traffic, lost, 240);
            Assert.True(traffic.Failovers > 0);
        }
        finally
        {
            foreach (Grpc.Net.Client.GrpcChannel channel in channels)
            {
                channel.Dispose();
            }

            first?.Dispose();
            second?.Dispose();
            TempDirectory.Delete(directory);
            await PostgresTestDatabase.DropSchemaAsync(schema);
        }
    }
}
