// The relay load tool: end-to-end throughput (send, durable store, deliver, acknowledge) through the
// real relay next to a transport floor (the same gRPC calls against a service that stores nothing),
// p50/p99 latency at half the peak rate, and memory per open receive stream. Loopback only, bounded.
//
//   dotnet run --project benchmarks/E2eChat.LoadTest -c Release -- [--pairs 16] [--messages 300] [--batch 10] [--streams 10000] [--latency-seconds 5] [--bound-seconds 300] [--rounds 3] [--sync Full|Normal]
//
// Scale-out mode (issue 16): N devices across M nodes over one PostgreSQL database (E2ECHAT_POSTGRES,
// see README "Scale-out on PostgreSQL"), next to the single-node SQLite relay, with an optional fault:
//
//   dotnet run --project benchmarks/E2eChat.LoadTest -c Release -- scale-out [--nodes 1,2,3] [--sqlite] [--pairs 16] [--messages 200] [--batch 10] [--fault none|cut|stop-node|restart-db]
//
// Client mode: two ChatDevices (customer, business) over the real relay, stores as SQLite files and in
// memory, next to the relay alone; p50/p99, lost/duplicated, and where the time goes:
//
//   dotnet run --project benchmarks/E2eChat.LoadTest -c Release -- client [--messages 1000]
using System.Diagnostics;
using System.Globalization;
using E2eChat.LoadTest;
using E2eChat.Relay.Server.Hosting;
using E2eChat.Relay.Server.Storage;
using E2eChat.Relay.Server.Storage.Sqlite;

if (args.Length > 0 && args[0] == "client")
{
    await ClientCommand.RunAsync(args[1..]);
    return;
}

if (args.Length > 0 && args[0] == "scale-out")
{
    await ScaleOutCommand.RunAsync(ScaleOutSettings.Parse(args[1..]));
    return;
}

var settings = Settings.Parse(args);
Console.WriteLine($"E2eChat relay load test: {settings.Pairs} pairs x {settings.Messages} messages in batches of {settings.Batch}; {settings.Streams} streams; {Environment.ProcessorCount} cores (shared machine: numbers are indicative)");

string dataDirectory = Path.Combine(Path.GetTempPath(), "e2echat-loadtest", Guid.NewGuid().ToString("N"));
try
{
    await using WebApplication relay = await RelayApplication.CreateAsync(
    [
        "--Relay:Listen=127.0.0.1:0", $"--Relay:DataDirectory={dataDirectory}", "--Relay:SqliteSynchronous=" + settings.Synchronous,
        "--Relay:RateLimitBurst=1000000000", "--Relay:RateLimitPerSecond=1000000000", "--Relay:MaxStreamsPerConnection=20000",
        "--Logging:LogLevel:Default=Warning",
    ]);
    await relay.StartAsync();
    await using WebApplication floor = await FloorServer.StartAsync();
    var relayTarget = new Target("relay (SQLite " + settings.Synchronous + ")", RelayApplication.GetAddress(relay), authenticate: true);
    var floorTarget = new Target("transport floor", FloorServer.GetAddress(floor), authenticate: false);

    // Where the relay's SQLite writer spends each timed round (README, "The writer line").
    var store = relay.Services.GetRequiredService<IRelayStore>() as SqliteRelayStore;

    // Warm both up at the full size (the gRPC code both share is compiled optimized before either is
    // timed), then measure alternately, round by round, and compare the medians. Every phase is bounded
    // by --bound-seconds (it fails, it does not hang).
    Console.WriteLine($"warming up, then measuring throughput ({settings.Rounds} rounds, relay then floor) ...");
    await Scenario.ThroughputAsync(relayTarget, settings);
    await Scenario.ThroughputAsync(floorTarget, settings);
    var reals = new List<ThroughputResult>();
    var floors = new List<ThroughputResult>();
    for (int round = 0; round < settings.Rounds; round++)
    {
        reals.Add(await Scenario.ThroughputAsync(relayTarget, settings, store is null ? null : () => store.WriterTimes));
        floors.Add(await Scenario.ThroughputAsync(floorTarget, settings));
        Console.WriteLine(reals[^1]);
        if (reals[^1].Writer is { } writer)
        {
            Console.WriteLine($"  {writer}");
        }

        Console.WriteLine(floors[^1]);
    }

    ThroughputResult real = Median(reals);
    ThroughputResult transport = Median(floors);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"median relay {real.MessagesPerSecond:0} msg/s, median floor {transport.MessagesPerSecond:0} msg/s"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ratio relay / floor: {real.MessagesPerSecond / transport.MessagesPerSecond:0.00}x (target >= 0.5x)"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"CPU per message (process: clients and server, medians): relay {reals.Select(r => r.CpuMicrosecondsPerMessage).Order().ElementAt(reals.Count / 2):0} us, floor {floors.Select(r => r.CpuMicrosecondsPerMessage).Order().ElementAt(floors.Count / 2):0} us"));
    Console.WriteLine($"  lost: {reals.Sum(r => r.Lost)}, duplicated: {reals.Sum(r => r.Duplicated)}");
    if (real.Writer is { } medianWriter)
    {
        Console.WriteLine($"  median relay round's {medianWriter}");
    }


    double half = real.MessagesPerSecond / 2;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"measuring latency at {half:0} msg/s for {settings.LatencySeconds} s ..."));
    LatencyResult latency = await Scenario.LatencyAsync(relayTarget, settings, half);
    Console.WriteLine(latency);

    await relay.StopAsync();
    await using WebApplication memoryRelay = await RelayApplication.CreateAsync(
    [
        "--Relay:Listen=127.0.0.1:0", $"--Relay:DataDirectory={dataDirectory}-streams", "--Relay:SqliteSynchronous=Normal",
        "--Relay:MaxStreamsPerConnection=20000", "--Logging:LogLevel:Default=Warning",
    ]);
    await memoryRelay.StartAsync();
    Console.WriteLine($"opening {settings.Streams} receive streams ...");
    MemoryResult memory = await Scenario.StreamMemoryAsync(new Target("relay", RelayApplication.GetAddress(memoryRelay), authenticate: true), memoryRelay.Services, settings.Streams, settings.Bound);
    Console.WriteLine(memory);
}
finally
{
    try
    {
        Directory.Delete(Path.GetDirectoryName(dataDirectory + "/")!, recursive: true);
        Directory.Delete(dataDirectory + "-streams", recursive: true);
    }
    catch (IOException)
    {
    }
}

Debug.Assert(true);

static ThroughputResult Median(List<ThroughputResult> results) => results.OrderBy(r => r.MessagesPerSecond).ElementAt(results.Count / 2);
