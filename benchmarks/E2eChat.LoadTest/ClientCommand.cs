using System.Globalization;
using E2eChat.Relay.Server.Hosting;

namespace E2eChat.LoadTest;

/// <summary>
/// The <c>client</c> mode: messages per second through two <c>ChatDevice</c>s over the real relay
/// (in this process, loopback, SQLite with <c>synchronous=FULL</c>), with the devices' stores as SQLite
/// files and as SQLite in memory, next to the relay alone at the same pace (one pair, one envelope per
/// <c>Send</c>, no encryption); p50/p99, lost and duplicated counts, and where the time goes.
/// </summary>
internal static class ClientCommand
{
    public static async Task RunAsync(string[] args)
    {
        int messages = 1000;
        int boundSeconds = Settings.DefaultBoundSeconds;
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            int value = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
            _ = args[i] switch
            {
                "--messages" => messages = value,
                "--bound-seconds" => boundSeconds = value,
                _ => throw new ArgumentException($"unknown option {args[i]}"),
            };
        }

        TimeSpan bound = TimeSpan.FromSeconds(boundSeconds);
        Console.WriteLine($"E2eChat client benchmark: {messages} messages, customer to business, each send awaited; relay in process (SQLite FULL); {Environment.ProcessorCount} cores (shared machine: numbers are indicative)");
        string directory = Path.Combine(Path.GetTempPath(), "e2echat-loadtest", Guid.NewGuid().ToString("N"));
        try
        {
            await using WebApplication relay = await RelayApplication.CreateAsync(
            [
                "--Relay:Listen=127.0.0.1:0", $"--Relay:DataDirectory={Path.Combine(directory, "relay")}", "--Relay:SqliteSynchronous=Full",
                "--Relay:RateLimitBurst=1000000000", "--Relay:RateLimitPerSecond=1000000000", "--Logging:LogLevel:Default=Warning",
            ]);
            await relay.StartAsync();
            Uri address = RelayApplication.GetAddress(relay);

            Console.WriteLine("warming up ...");
            await ClientScenario.RunAsync(address, Math.Min(100, messages), inMemory: true, Path.Combine(directory, "warm"), bound);
            ClientResult files = await ClientScenario.RunAsync(address, messages, inMemory: false, Path.Combine(directory, "files"), bound);
            Console.WriteLine(files);
            ClientResult memory = await ClientScenario.RunAsync(address, messages, inMemory: true, Path.Combine(directory, "memory"), bound);
            Console.WriteLine(memory);
            ThroughputResult alone = await Scenario.ThroughputAsync(
                new Target("relay alone (1 pair, batch 1)", address, authenticate: true),
                new Settings(Pairs: 1, Messages: messages, Batch: 1, Streams: 0, LatencySeconds: 0, Synchronous: "Full", BoundSeconds: boundSeconds));
            Console.WriteLine(alone);

            Console.WriteLine();
            Console.WriteLine("| Stores | msg/s | p50 ms | p99 ms | lost | dup | encrypt us (store) | relay Send us | decrypt+commit us (store) | hand-over us |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            Console.WriteLine(files.ToMarkdownRow());
            Console.WriteLine(memory.ToMarkdownRow());
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| relay alone (no client) | {alone.MessagesPerSecond:0} | | | {alone.Lost} | {alone.Duplicated} | | | | |"));
            if (files.Lost + files.Duplicated + memory.Lost + memory.Duplicated + alone.Lost + alone.Duplicated > 0)
            {
                Environment.ExitCode = 1;
            }
        }
        finally
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
}
