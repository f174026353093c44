using System.Diagnostics;
using System.Globalization;
using E2eChat.Relay.Server.Hosting;
using Grpc.Net.Client;
using Npgsql;

namespace E2eChat.LoadTest;

/// <summary>
/// The <c>scale-out</c> mode: for each node count, that many relay nodes (in this process, on loopback)
/// over one fresh PostgreSQL schema, driven by <see cref="ScaleOutScenario"/> at full speed and then
/// paced at half that rate for latency; optionally a fault in the middle of the full-speed run, and
/// the single-node SQLite relay as the reference.
/// </summary>
internal static class ScaleOutCommand
{
    private static readonly string[] s_common =
    [
        "--Relay:Listen=127.0.0.1:0", "--Relay:RateLimitBurst=1000000000", "--Relay:RateLimitPerSecond=1000000000",
        "--Relay:MaxStreamsPerConnection=20000", "--Relay:CatchUpInterval=00:00:01", "--Logging:LogLevel:Default=Error",
    ];

    public static async Task RunAsync(ScaleOutSettings settings)
    {
        Console.WriteLine($"E2eChat relay scale-out: {settings.Pairs} pairs x {settings.Messages} messages (batches of {settings.Batch}), nodes {string.Join(",", settings.Nodes)}, fault {settings.Fault}; {Environment.ProcessorCount} cores shared by nodes, clients and PostgreSQL (numbers are indicative)");
        if (settings.Sqlite)
        {
            string directory = Path.Combine(Path.GetTempPath(), "e2echat-loadtest", Guid.NewGuid().ToString("N"));
            try
            {
                await RunNodesAsync("1 node, SQLite (Full)", settings, [[$"--Relay:DataDirectory={directory}", "--Relay:SqliteSynchronous=Full"]], cut: null);
            }
            finally
            {
                TryDelete(directory);
            }
        }

        string postgres = settings.Postgres ?? throw new InvalidOperationException("Set E2ECHAT_POSTGRES (eval \"$(bash .ci/postgres.sh start)\") or pass --postgres.");
        foreach (int count in settings.Nodes)
        {
            string schema = "load_" + Guid.NewGuid().ToString("N")[..12];
            string[] node = ["--Relay:Store=Postgres", $"--Relay:PostgresConnectionString={postgres}", $"--Relay:PostgresSchema={schema}"];
            try
            {
                await RunNodesAsync($"{count} node{(count == 1 ? "" : "s")}, PostgreSQL", settings, Enumerable.Repeat(node, count).ToArray(), () => CutAsync(postgres, schema));
            }
            finally
            {
                await AdminAsync(postgres, $"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE;");
            }
        }
    }

    private static async Task RunNodesAsync(string name, ScaleOutSettings settings, string[][] nodeSettings, Func<Task>? cut)
    {
        var apps = new List<WebApplication>();
        var channels = new List<GrpcChannel>();
        try
        {
            foreach (string[] node in nodeSettings)
            {
                WebApplication app = await RelayApplication.CreateAsync([.. s_common, .. node]);
                await app.StartAsync();
                apps.Add(app);
                channels.Add(GrpcChannel.ForAddress(RelayApplication.GetAddress(app), new GrpcChannelOptions
                {
                    HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true },
                    MaxReceiveMessageSize = 16 * 1024 * 1024,
                }));
            }

            // Warm up (JIT, pools, prepared statements), then measure at full speed, then paced at half.
            await new ScaleOutScenario([.. channels]).RunAsync(name, settings.Pairs, 20, settings.Batch, null, null);
            Func<Task>? fault = settings.Fault switch
            {
                "cut" when cut is not null => cut,
                "stop-node" when apps.Count > 1 => () => apps[0].StopAsync(),
                "restart-db" when cut is not null => RestartDatabaseAsync,
                _ => null,
            };
            string label = fault is null ? name : $"{name}, {settings.Fault}";
            ScaleOutResult full = await new ScaleOutScenario([.. channels]).RunAsync(label, settings.Pairs, settings.Messages, settings.Batch, null, fault);
            Console.WriteLine(full);
            if (fault is null)
            {
                double half = full.MessagesPerSecond / 2;
                int paced = Math.Max(settings.Batch, (int)(half * settings.LatencySeconds / settings.Pairs));
                ScaleOutResult latency = await new ScaleOutScenario([.. channels]).RunAsync(
                    string.Create(CultureInfo.InvariantCulture, $"  paced at {half:0} msg/s"), settings.Pairs, paced, settings.Batch, half, null);
                Console.WriteLine(latency);
            }
        }
        finally
        {
            foreach (GrpcChannel channel in channels)
            {
                channel.Dispose();
            }

            foreach (WebApplication app in apps)
            {
                await app.DisposeAsync();
            }
        }
    }

    private static async Task CutAsync(string postgres, string schema)
    {
        object? cut = await AdminAsync(postgres, $"SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND application_name LIKE 'e2echat-relay/{schema}%';");
        Console.WriteLine($"  fault: cut {cut} database connections");
    }

    private static async Task RestartDatabaseAsync()
    {
        string directory = Environment.GetEnvironmentVariable("E2ECHAT_POSTGRES_DIR") ?? throw new InvalidOperationException("restart-db needs E2ECHAT_POSTGRES_DIR (.ci/postgres.sh start)");
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(".ci", "postgres.sh"));
        start.ArgumentList.Add("restart");
        start.ArgumentList.Add(directory);
        var stopwatch = Stopwatch.StartNew();
        using Process process = Process.Start(start)!;
        await process.WaitForExitAsync();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  fault: database restarted in {stopwatch.Elapsed.TotalSeconds:0.0} s (exit {process.ExitCode})"));
    }

    private static async Task<object?> AdminAsync(string postgres, string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(postgres) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
