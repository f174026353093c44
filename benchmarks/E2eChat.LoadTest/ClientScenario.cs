extern alias client;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using client::E2eChat.Client;
using E2eChat.Wire;

namespace E2eChat.LoadTest;

/// <summary>
/// The <c>client</c> mode's scenario: a customer's <c>ChatDevice</c> sends messages one after another
/// (each awaited, as an app does) to a business's device, which receives them as events over its
/// stream, both over the real relay; with the devices' stores as SQLite files or as SQLite databases in
/// memory. Throughput from the first send to the last message handed over, latency from the start of
/// each send to its hand-over, and the devices' own timings.
/// </summary>
internal static class ClientScenario
{
    public static async Task<ClientResult> RunAsync(Uri relay, int messages, bool inMemory, string directory, TimeSpan bound)
    {
        string run = Guid.NewGuid().ToString("N")[..8];
        byte[] storageKey = RandomNumberGenerator.GetBytes(32);
        ChatDeviceOptions Options(string account, AccountKind kind) => new()
        {
            RelayAddress = relay,
            Account = account,
            Kind = kind,
            DataDirectory = Path.Combine(directory, account),
            OneTimePreKeyTarget = 5,
            OneTimePreKeyThreshold = 1,
            InMemoryStores = inMemory,
        };

        await using ChatDevice customer = ChatDevice.Open(Options($"customer-{run}", AccountKind.Person), storageKey);
        await using ChatDevice business = ChatDevice.Open(Options($"shop-{run}", AccountKind.Business), storageKey);
        await customer.ConnectAsync();
        await business.ConnectAsync();
        using var timeout = new CancellationTokenSource(bound);

        // The first message starts the session (and the relay's service window); not measured.
        Require(await customer.SendAsync(business.Address, AccountKind.Business, "hello", cancellationToken: timeout.Token));
        var handedOver = new ConcurrentDictionary<string, long>();
        int duplicated = 0;
        int expected = messages + 1;
        var allIn = new TaskCompletionSource();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
        Task receiving = Task.Run(async () =>
        {
            try
            {
                await foreach (ChatEvent item in business.ReceiveAsync(stop.Token))
                {
                    if (item is MessageReceived message && !handedOver.TryAdd(message.Text, Stopwatch.GetTimestamp()))
                    {
                        Interlocked.Increment(ref duplicated);
                    }

                    if (handedOver.Count >= expected)
                    {
                        allIn.TrySetResult();
                    }
                }
            }
            catch (Exception e) when (stop.IsCancellationRequested && e is OperationCanceledException or Grpc.Core.RpcException { StatusCode: Grpc.Core.StatusCode.Cancelled })
            {
                // Stopped (a call in flight, e.g. a pre-key refill check, ends cancelled).
            }
        });

        while (!handedOver.ContainsKey("hello"))
        {
            await Task.Delay(10, timeout.Token);
        }

        Snapshot before = Snapshot.Of(customer, business);
        long[] sentAt = new long[messages];
        long started = Stopwatch.GetTimestamp();
        for (int i = 0; i < messages; i++)
        {
            sentAt[i] = Stopwatch.GetTimestamp();
            Require(await customer.SendAsync(business.Address, AccountKind.Business, $"m{i}", cancellationToken: timeout.Token));
        }

        await Task.WhenAny(allIn.Task, Task.Delay(Timeout.Infinite, timeout.Token));
        TimeSpan elapsed = Stopwatch.GetElapsedTime(started, handedOver.Values.Max());
        Snapshot after = Snapshot.Of(customer, business);
        await stop.CancelAsync();
        await receiving;

        double[] latencies = [.. Enumerable.Range(0, messages)
            .Where(i => handedOver.ContainsKey($"m{i}"))
            .Select(i => Stopwatch.GetElapsedTime(sentAt[i], handedOver[$"m{i}"]).TotalMilliseconds)
            .Order()];
        int lost = messages - latencies.Length;
        double Micros(long ticks) => ticks * 1_000_000.0 / Stopwatch.Frequency / messages;
        return new ClientResult(
            inMemory ? "SQLite in memory" : "SQLite files (FULL)",
            messages,
            elapsed,
            Percentile(latencies, 0.50),
            Percentile(latencies, 0.99),
            lost,
            duplicated,
            Micros(after.Encrypt - before.Encrypt),
            Micros(after.SenderStore - before.SenderStore),
            Micros(after.RelaySend - before.RelaySend),
            Micros(after.DecryptCommit - before.DecryptCommit),
            Micros(after.ReceiverStore - before.ReceiverStore),
            Micros(after.HandOver - before.HandOver));
    }

    private static void Require(SendResult result)
    {
        if (!result.IsAccepted)
        {
            throw new InvalidOperationException($"A send was not accepted: {result.Status} {result.Reason}");
        }
    }

    private static double Percentile(double[] sorted, double quantile) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(quantile * sorted.Length) - 1)];

    private readonly record struct Snapshot(long Encrypt, long SenderStore, long RelaySend, long DecryptCommit, long ReceiverStore, long HandOver)
    {
        public static Snapshot Of(ChatDevice sender, ChatDevice receiver) => new(
            sender.Timings.EncryptTicks,
            sender.ProtocolStore.BusyTicks,
            sender.Timings.RelaySendTicks,
            receiver.Timings.DecryptCommitTicks,
            receiver.ProtocolStore.BusyTicks,
            receiver.Timings.HandOverTicks);
    }
}
