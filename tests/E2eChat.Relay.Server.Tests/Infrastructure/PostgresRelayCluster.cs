using E2eChat.Relay.Server.Messaging;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;

namespace E2eChat.Relay.Server.Tests.Infrastructure;

/// <summary>Several real relay nodes in this process, on loopback ports, over one PostgreSQL schema of the test cluster.</summary>
internal sealed class PostgresRelayCluster : IAsyncDisposable
{
    private readonly List<RelayTestServer> _nodes = [];

    private PostgresRelayCluster(string schema)
    {
        Schema = schema;
    }

    public string Schema { get; }

    public IReadOnlyList<RelayTestServer> Nodes => _nodes;

    public IReadOnlyList<GrpcChannel> Channels => _nodes.Select(n => n.Channel).ToArray();

    /// <summary>The settings that put a relay on this cluster's schema (for a node started another way).</summary>
    public string[] Settings => ["--Relay:Store=Postgres", $"--Relay:PostgresConnectionString={PostgresTestDatabase.AdminConnectionString}", $"--Relay:PostgresSchema={Schema}"];

    public static async Task<PostgresRelayCluster> StartAsync(int nodes, params string[] settings)
    {
        var cluster = new PostgresRelayCluster(PostgresTestDatabase.NewSchemaName());
        try
        {
            for (int i = 0; i < nodes; i++)
            {
                cluster._nodes.Add(await RelayTestServer.StartAsync(settings: [.. cluster.Settings, .. settings]));
            }

            await cluster.WaitListeningAsync();
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Waits (bounded) until every node's notification listener is connected.</summary>
    public async Task WaitListeningAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!_nodes.All(n => ((PostgresQueueSignal)n.Services.GetRequiredService<IQueueSignal>()).Listening > 0))
        {
            await Task.Delay(20, timeout.Token);
        }
    }

    /// <summary>Terminates the backends of this cluster's connections (pools and listeners), as a network cut would.</summary>
    /// <returns>How many were cut.</returns>
    public async Task<long> CutConnectionsAsync() =>
        (long)(await PostgresTestDatabase.ScalarAsync(
            $"SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND application_name LIKE 'e2echat-relay/{Schema}%';"))!;

    public async ValueTask DisposeAsync()
    {
        foreach (RelayTestServer node in _nodes)
        {
            await node.DisposeAsync();
        }

        await PostgresTestDatabase.DropSchemaAsync(Schema);
    }
}
