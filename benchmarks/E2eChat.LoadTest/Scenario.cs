using System.Diagnostics;
using E2eChat.Relay.Server.Api;
using E2eChat.Relay.Server.Messaging;
using E2eChat.Relay.Server.Storage.Sqlite;
using Grpc.Core;
using Grpc.Net.Client;

namespace E2eChat.LoadTest;

internal static class Scenario
{
    private const int ProgressStep = 2000;

    /// <summary>
    /// Receive streams opened at once by the memory measurement: far below any per-connection stream
    /// limit the relay may set (the tool sets 20,000, the test 50), so a new connection never has more
    /// requests in flight than the relay's limit before it learns it.
    /// </summary>
    private const int StreamsOpenedAtOnce = 8;

    /// <summary>
    /// Pairs send their messages in batches while the receivers stream and acknowledge them. With
    /// <paramref name="writerTimes"/> (the relay's SQLite store), the result has its writer's share of
    /// the timed window (snapshots right at its start and end, setup excluded).
    /// </summary>
    public static async Task<ThroughputResult> ThroughputAsync(Target target, Settings settings, Func<SqliteWriterTimes>? writerTimes = null)
    {
        using GrpcChannel channel = target.CreateChannel();
        (LoadDevice[] senders, LoadDevice[] receivers) = await CreatePairsAsync(target, channel, settings.Pairs);
        var envelopes = senders.Select((s, i) => Enumerable.Range(0, settings.Messages).Select(_ => s.Envelope(receivers[i].Name)).ToArray()).ToArray();
        using var bound = new CancellationTokenSource(settings.Bound);
        var messaging = new Messaging.MessagingClient(channel);
        var received = new HashSet<string>[settings.Pairs];
        int duplicated = 0;
        var streams = new List<Task>();
        var ready = new List<Task>();
        var stopwatch = new Stopwatch();
        for (int p = 0; p < settings.Pairs; p++)
        {
            int pair = p;
            received[pair] = [];
            var started = new TaskCompletionSource();
            ready.Add(started.Task);
            streams.Add(Task.Run(async () =>
            {
                using AsyncDuplexStreamingCall<ReceiveRequest, ReceiveResponse> call = messaging.Receive(receivers[pair].Headers(), cancellationToken: bound.Token);
                await call.RequestStream.WriteAsync(new ReceiveRequest { Start = new ReceiveStart { Device = receivers[pair].Address } });
                var pending = new Acknowledge();
                while (received[pair].Count < settings.Messages && await call.ResponseStream.MoveNext(bound.Token))
                {
                    ReceiveResponse response = call.ResponseStream.Current;
                    if (response.KindCase == ReceiveResponse.KindOneofCase.Drained)
                    {
                        started.TrySetResult();
                    }

                    if (response.KindCase != ReceiveResponse.KindOneofCase.Delivery)
                    {
                        continue;
                    }

                    if (!received[pair].Add(Convert.ToBase64String(response.Delivery.Envelope.Span)))
                    {
                        Interlocked.Increment(ref duplicated);
                    }

                    pending.Sequences.Add(response.Delivery.Sequence);
                    if (pending.Sequences.Count >= 50 || received[pair].Count == settings.Messages)
                    {
                        await call.RequestStream.WriteAsync(new ReceiveRequest { Ack = pending });
                        pending = new Acknowledge();
                    }
                }

                started.TrySetResult();
                await call.RequestStream.CompleteAsync();
            }));
        }

        if (!target.Authenticate)
        {
            ready.Clear();
            await Task.Delay(200);
        }

        await Task.WhenAll(ready).WaitAsync(bound.Token);
        SqliteWriterTimes? writerAtStart = writerTimes?.Invoke();
        stopwatch.Start();
        TimeSpan cpuAtStart = Process.GetCurrentProcess().TotalProcessorTime;
        await Task.WhenAll(Enumerable.Range(0, settings.Pairs).Select(p => Task.Run(async () =>
        {
            for (int i = 0; i < settings.Messages; i += settings.Batch)
            {
                var request = new SendRequest();
                request.Envelopes.Add(envelopes[p].Skip(i).Take(settings.Batch));
                await messaging.SendAsync(request, senders[p].Headers(receivers[p].Name), cancellationToken: bound.Token);
            }
        })));
        await Task.WhenAll(streams).WaitAsync(bound.Token);
        stopwatch.Stop();
        TimeSpan cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuAtStart;
        SqliteWriterTimes? writer = writerTimes?.Invoke().Since(writerAtStart!.Value);
        int total = settings.Pairs * settings.Messages;
        int lost = total - received.Sum(r => r.Count);
        return new ThroughputResult(target.Name, total, stopwatch.Elapsed, lost, duplicated, cpu, writer);
    }

    /// <summary>Single-envelope sends paced at <paramref name="rate"/> in total; latency from send to delivery.</summary>
    public static async Task<LatencyResult> LatencyAsync(Target target, Settings settings, double rate)
    {
        using GrpcChannel channel = target.CreateChannel();
        int pairs = settings.Pairs;
        (LoadDevice[] senders, LoadDevice[] receivers) = await CreatePairsAsync(target, channel, pairs);
        var messaging = new Messaging.MessagingClient(channel);
        int perPair = Math.Max(10, (int)(rate * settings.LatencySeconds / pairs));
        double interval = pairs / rate;
        var sentAt = new long[pairs][];
        var latencies = new List<double>[pairs];
        using var bound = new CancellationTokenSource(settings.Bound);
        var readers = new List<Task>();
        var ready = new List<Task>();
        for (int p = 0; p < pairs; p++)
        {
            int pair = p;
            sentAt[pair] = new long[perPair];
            latencies[pair] = new List<double>(perPair);
            var started = new TaskCompletionSource();
            ready.Add(started.Task);
            readers.Add(Task.Run(async () =>
            {
                using AsyncDuplexStreamingCall<ReceiveRequest, ReceiveResponse> call = messaging.Receive(receivers[pair].Headers(), cancellationToken: bound.Token);
                await call.RequestStream.WriteAsync(new ReceiveRequest { Start = new ReceiveStart { Device = receivers[pair].Address } });
                int index = 0;
                while (index < perPair && await call.ResponseStream.MoveNext(bound.Token))
                {
                    ReceiveResponse response = call.ResponseStream.Current;
                    if (response.KindCase == ReceiveResponse.KindOneofCase.Drained)
                    {
                        started.TrySetResult();
                        continue;
                    }

                    if (response.KindCase == ReceiveResponse.KindOneofCase.Delivery)
                    {
                        latencies[pair].Add(Stopwatch.GetElapsedTime(Volatile.Read(ref sentAt[pair][index])).TotalMilliseconds);
                        index++;
                        await call.RequestStream.WriteAsync(new ReceiveRequest { Ack = new Acknowledge { Sequences = { response.Delivery.Sequence } } });
                    }
                }

                await call.RequestStream.CompleteAsync();
            }));
        }

        await Task.WhenAll(ready).WaitAsync(bound.Token);
        await Task.WhenAll(Enumerable.Range(0, pairs).Select(p => Task.Run(async () =>
        {
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < perPair; i++)
            {
                TimeSpan due = TimeSpan.FromSeconds(i * interval) - Stopwatch.GetElapsedTime(start);
                if (due > TimeSpan.Zero)
                {
                    await Task.Delay(due);
                }

                var request = new SendRequest { Envelopes = { senders[p].Envelope(receivers[p].Name) } };
                Volatile.Write(ref sentAt[p][i], Stopwatch.GetTimestamp());
                await messaging.SendAsync(request, senders[p].Headers(), cancellationToken: bound.Token);
            }
        })));
        await Task.WhenAll(readers).WaitAsync(bound.Token);
        double[] all = latencies.SelectMany(l => l).Order().ToArray();
        return new LatencyResult(rate, all.Length, Percentile(all, 0.50), Percentile(all, 0.99), pairs * perPair - all.Length);
    }

    /// <summary>Opens <paramref name="count"/> receive streams (one per registered device) and measures the memory they hold.</summary>
    public static async Task<MemoryResult> StreamMemoryAsync(Target target, IServiceProvider relayServices, int count, TimeSpan limit)
    {
        var channels = Enumerable.Range(0, Math.Max(1, count / 1000)).Select(_ => target.CreateChannel()).ToArray();
        var devices = Enumerable.Range(0, count).Select(i => new LoadDevice($"viewer-{i}")).ToArray();
        using var bound = new CancellationTokenSource(limit);
        int authenticated = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = bound.Token }, async (i, token) =>
        {
            await devices[i].AuthenticateAsync(channels[i % channels.Length], token);
            Progress("authenticated", Interlocked.Increment(ref authenticated), count);
        });
        var calls = new AsyncDuplexStreamingCall<ReceiveRequest, ReceiveResponse>[count];
        long managedBefore = Managed();
        long workingBefore = Environment.WorkingSet;
        var stopwatch = Stopwatch.StartNew();

        // A stream is open once the relay has said its (empty) queue is drained. Streams are opened a few
        // at a time: a new HTTP/2 connection learns the relay's stream limit (its SETTINGS) only after its
        // first requests are on their way, and a request the relay then refuses for the limit is retried
        // by the HTTP stack on another connection without the start the gRPC client had already written
        // (seen as streams whose start never reached the relay, all 150 opened at once at a limit of 50).
        // With fewer requests in flight than the limit, none is refused.
        int open = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = StreamsOpenedAtOnce, CancellationToken = bound.Token }, async (i, token) =>
        {
            var messaging = new Messaging.MessagingClient(channels[i % channels.Length]);
            calls[i] = messaging.Receive(devices[i].Headers(), cancellationToken: bound.Token);
            await calls[i].RequestStream.WriteAsync(new ReceiveRequest { Start = new ReceiveStart { Device = devices[i].Address } }, token);
            await calls[i].ResponseStream.MoveNext(token);
            Progress("streams open", Interlocked.Increment(ref open), count);
        });
        stopwatch.Stop();
        int registered = relayServices.GetRequiredService<ReceiveStreamRegistry>().Count;
        long managed = Managed() - managedBefore;
        long working = Environment.WorkingSet - workingBefore;
        foreach (AsyncDuplexStreamingCall<ReceiveRequest, ReceiveResponse> call in calls)
        {
            call.Dispose();
        }

        foreach (GrpcChannel channel in channels)
        {
            channel.Dispose();
        }

        if (registered != count)
        {
            Console.WriteLine($"  warning: the relay reports {registered} open streams, expected {count}");
        }

        return new MemoryResult(count, registered, managed, working, stopwatch.Elapsed);
    }

    /// <summary>Progress of a long phase on the console, every <see cref="ProgressStep"/> items.</summary>
    private static void Progress(string what, int done, int count)
    {
        if (done % ProgressStep == 0 && done != count)
        {
            Console.WriteLine($"  ... {what}: {done}/{count}");
        }
    }

    private static long Managed()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    private static async Task<(LoadDevice[] Senders, LoadDevice[] Receivers)> CreatePairsAsync(Target target, GrpcChannel channel, int pairs)
    {
        string run = Guid.NewGuid().ToString("N")[..8];
        LoadDevice[] senders = Enumerable.Range(0, pairs).Select(i => new LoadDevice($"s{i}-{run}")).ToArray();
        LoadDevice[] receivers = Enumerable.Range(0, pairs).Select(i => new LoadDevice($"r{i}-{run}")).ToArray();
        if (target.Authenticate)
        {
            foreach (LoadDevice device in senders.Concat(receivers))
            {
                await device.AuthenticateAsync(channel);
            }
        }

        return (senders, receivers);
    }
}
