using System.Collections.Concurrent;
using System.Diagnostics;
using E2eChat.Relay.Server.Api;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;

namespace E2eChat.LoadTest;

/// <summary>
/// Pairs of devices over several nodes: each sender on node p mod M, its receiver on node p + 1 mod M,
/// so with two or more nodes every message crosses nodes. A failed send is retried with the same
/// envelopes on the next node; a broken stream is reopened on the next node. Bounded in count and time.
/// </summary>
internal sealed class ScaleOutScenario
{
    private static readonly TimeSpan s_bound = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan s_retryPause = TimeSpan.FromMilliseconds(50);
    private readonly GrpcChannel[] _nodes;
    private readonly ConcurrentDictionary<string, long> _sentAt = new();
    private readonly ConcurrentBag<double> _latencies = [];
    private int _accepted;
    private int _duplicated;
    private int _redelivered;
    private int _failovers;
    private int _received;

    public ScaleOutScenario(GrpcChannel[] nodes)
    {
        _nodes = nodes;
    }

    /// <summary>
    /// Runs the traffic. With <paramref name="rate"/> each sender's batches leave on a schedule that makes
    /// that total rate (latency without queueing); without, batches as fast as they go (throughput). <paramref name="fault"/> runs once when a third
    /// of the messages are accepted.
    /// </summary>
    public async Task<ScaleOutResult> RunAsync(string target, int pairs, int messages, int batch, double? rate, Func<Task>? fault)
    {
        using var bound = new CancellationTokenSource(s_bound);
        string run = Guid.NewGuid().ToString("N")[..8];
        var senders = Enumerable.Range(0, pairs).Select(i => new LoadDevice($"s{i}-{run}")).ToArray();
        var receivers = Enumerable.Range(0, pairs).Select(i => new LoadDevice($"r{i}-{run}")).ToArray();
        var sendNode = Enumerable.Range(0, pairs).Select(p => p % _nodes.Length).ToArray();
        var receiveNode = Enumerable.Range(0, pairs).Select(p => (p + 1) % _nodes.Length).ToArray();
        for (int p = 0; p < pairs; p++)
        {
            await senders[p].AuthenticateAsync(_nodes[sendNode[p]]);
            await receivers[p].AuthenticateAsync(_nodes[receiveNode[p]]);
        }

        var ready = new TaskCompletionSource[pairs];
        var got = new ConcurrentDictionary<string, byte>[pairs];
        var receiving = new Task[pairs];
        for (int p = 0; p < pairs; p++)
        {
            int pair = p;
            ready[pair] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            got[pair] = new ConcurrentDictionary<string, byte>();
            receiving[pair] = Task.Run(() => ReceiveAsync(receivers[pair], receiveNode[pair], got[pair], messages, ready[pair], bound.Token));
        }

        await Task.WhenAll(ready.Select(r => r.Task)).WaitAsync(bound.Token);
        int faultAt = pairs * messages / 3;
        int faultStarted = 0;
        Task faultTask = Task.CompletedTask;
        var stopwatch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, pairs).Select(p => Task.Run(async () =>
        {
            int node = sendNode[p];
            int size = batch;
            double interval = rate is null ? 0 : pairs * batch / rate.Value;
            var inFlight = new List<Task<int>>();
            for (int i = 0, k = 0; i < messages; i += size, k++)
            {
                if (rate is not null && TimeSpan.FromSeconds(k * interval) - stopwatch.Elapsed is { Ticks: > 0 } due)
                {
                    await Task.Delay(due, bound.Token);
                }

                var request = new SendRequest();
                for (int j = 0; j < Math.Min(size, messages - i); j++)
                {
                    request.Envelopes.Add(senders[p].Envelope(receivers[p].Name));
                }

                long now = Stopwatch.GetTimestamp();
                foreach (ByteString envelope in request.Envelopes)
                {
                    _sentAt[Convert.ToBase64String(envelope.Span)] = now;
                }

                if (rate is null)
                {
                    node = await SendAsync(senders[p], node, request, bound.Token);
                }
                else
                {
                    // Paced: each send leaves on schedule, not after the previous answer.
                    inFlight.Add(SendAsync(senders[p], node, request, bound.Token));
                }

                if (fault is not null && Volatile.Read(ref _accepted) >= faultAt && Interlocked.Exchange(ref faultStarted, 1) == 0)
                {
                    faultTask = Task.Run(fault);
                }
            }

            await Task.WhenAll(inFlight);
        })));
        await faultTask;
        await Task.WhenAll(receiving).WaitAsync(bound.Token);
        stopwatch.Stop();
        int total = pairs * messages;
        int arrived = got.Sum(g => g.Count);
        double[] sorted = [.. _latencies.Order()];
        foreach (LoadDevice device in senders.Concat(receivers))
        {
            device.Dispose();
        }

        return new ScaleOutResult(target, total, stopwatch.Elapsed, Percentile(sorted, 0.50), Percentile(sorted, 0.99), total - arrived, _duplicated, _redelivered, _failovers);
    }

    private async Task<int> SendAsync(LoadDevice sender, int node, SendRequest request, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                SendResponse response = await new Messaging.MessagingClient(_nodes[node]).SendAsync(request, sender.Headers(), cancellationToken: cancellationToken);
                foreach (EnvelopeResult result in response.Results)
                {
                    if (result.Status == EnvelopeStatus.Accepted)
                    {
                        Interlocked.Increment(ref _accepted);
                    }
                    else if (result.Status != EnvelopeStatus.Duplicate)
                    {
                        throw new InvalidOperationException($"unexpected status {result.Status} {result.Reason}");
                    }
                }

                return node;
            }
            catch (RpcException) when (!cancellationToken.IsCancellationRequested)
            {
                // Outcome unknown: the same envelopes on the next node (stored ones come back as duplicates).
                Interlocked.Increment(ref _failovers);
                node = (node + 1) % _nodes.Length;
                await Task.Delay(s_retryPause, cancellationToken);
            }
        }
    }

    private async Task ReceiveAsync(LoadDevice receiver, int node, ConcurrentDictionary<string, byte> got, int messages, TaskCompletionSource ready, CancellationToken cancellationToken)
    {
        var handled = new HashSet<ulong>();
        while (got.Count < messages)
        {
            try
            {
                using AsyncDuplexStreamingCall<ReceiveRequest, ReceiveResponse> call = new Messaging.MessagingClient(_nodes[node]).Receive(receiver.Headers(), cancellationToken: cancellationToken);
                await call.RequestStream.WriteAsync(new ReceiveRequest { Start = new ReceiveStart { Device = receiver.Address } }, cancellationToken);
                var pending = new Acknowledge();
                while (got.Count < messages && await call.ResponseStream.MoveNext(cancellationToken))
                {
                    ReceiveResponse response = call.ResponseStream.Current;
                    if (response.KindCase == ReceiveResponse.KindOneofCase.Delivery)
                    {
                        Delivery delivery = response.Delivery;
                        if (!handled.Add(delivery.Sequence))
                        {
                            Interlocked.Increment(ref _redelivered);
                        }
                        else
                        {
                            string key = Convert.ToBase64String(delivery.Envelope.Span);
                            if (!got.TryAdd(key, 0))
                            {
                                Interlocked.Increment(ref _duplicated);
                            }
                            else if (_sentAt.TryGetValue(key, out long sentAt))
                            {
                                _latencies.Add(Stopwatch.GetElapsedTime(sentAt).TotalMilliseconds);
                                Interlocked.Increment(ref _received);
                            }
                        }

                        pending.Sequences.Add(delivery.Sequence);
                    }

                    if (response.KindCase == ReceiveResponse.KindOneofCase.Drained)
                    {
                        ready.TrySetResult();
                    }

                    if (pending.Sequences.Count >= 50 || (pending.Sequences.Count > 0 && (response.KindCase == ReceiveResponse.KindOneofCase.Drained || got.Count >= messages)))
                    {
                        await call.RequestStream.WriteAsync(new ReceiveRequest { Ack = pending }, cancellationToken);
                        pending = new Acknowledge();
                    }
                }

                await call.RequestStream.CompleteAsync();
            }
            catch (Exception ex) when (ex is RpcException or IOException or InvalidOperationException && !cancellationToken.IsCancellationRequested)
            {
                node = (node + 1) % _nodes.Length;
                await Task.Delay(s_retryPause, cancellationToken);
            }
        }
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
