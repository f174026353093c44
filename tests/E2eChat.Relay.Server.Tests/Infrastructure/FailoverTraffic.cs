using System.Collections.Concurrent;
using E2eChat.Relay.Server.Api;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;

namespace E2eChat.Relay.Server.Tests.Infrastructure;

/// <summary>
/// Bounded chat traffic over several relay nodes, as clients that fail over would send it: pairs of
/// devices, each sender sending its messages in batches (a failed call is retried with the same
/// envelopes on the next node), each receiver streaming and acknowledging (a broken stream is reopened
/// on the next node). It counts what the relay accepted, what the receivers got, what came twice.
/// </summary>
internal sealed class FailoverTraffic
{
    private static readonly TimeSpan s_bound = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan s_retryPause = TimeSpan.FromMilliseconds(100);
    private readonly Func<IReadOnlyList<GrpcChannel>> _nodes;

    /// <param name="nodes">The nodes' channels now (a killed node's channel may be replaced).</param>
    public FailoverTraffic(Func<IReadOnlyList<GrpcChannel>> nodes)
    {
        _nodes = nodes;
    }

    /// <summary>Messages accepted (first time) by some node.</summary>
    public int Accepted => _accepted;

    /// <summary>Envelopes received by the application (first delivery of each queue entry).</summary>
    public int Received => _received;

    /// <summary>One message queued twice for a device (two sequence numbers): a relay failure.</summary>
    public int Duplicated => _duplicated;

    /// <summary>Unacknowledged deliveries sent again after a broken stream (at least once: expected, dropped by sequence).</summary>
    public int Redelivered => _redelivered;

    /// <summary>Send calls that failed and were retried on another node.</summary>
    public int Failovers => _failovers;

    private int _accepted;
    private int _received;
    private int _duplicated;
    private int _redelivered;
    private int _failovers;

    /// <summary>
    /// Runs the traffic: <paramref name="pairs"/> pairs, <paramref name="messages"/> each, in batches of
    /// <paramref name="batch"/>; <paramref name="fault"/> runs once when a third of the messages are
    /// accepted (or a sender reaches its last batch first), while sends and streams go on; each
    /// sender's last batch waits for the fault to end.
    /// </summary>
    /// <returns>How many accepted envelopes never arrived.</returns>
    public async Task<int> RunAsync(int pairs, int messages, int batch, Func<Task> fault)
    {
        using var bound = new CancellationTokenSource(s_bound);
        var senders = new List<TestDevice>();
        var receivers = new List<TestDevice>();
        var holders = new List<GrpcChannelHolder>();
        try
        {
            for (int p = 0; p < pairs; p++)
            {
                var sendHolder = new GrpcChannelHolder(_nodes()[p % _nodes().Count]);
                var receiveHolder = new GrpcChannelHolder(_nodes()[(p + 1) % _nodes().Count]);
                holders.Add(sendHolder);
                holders.Add(receiveHolder);
                senders.Add(new TestDevice(() => sendHolder, Names.New("sender")));
                receivers.Add(new TestDevice(() => receiveHolder, Names.New("receiver")));
            }

            foreach (TestDevice device in senders.Concat(receivers))
            {
                await device.AuthenticateAsync();
            }

            var expected = new ConcurrentDictionary<string, byte>();
            var got = new ConcurrentDictionary<string, ulong>[pairs];
            int faultAt = pairs * messages / 3;
            var faultStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Task faultTask = faultStarted.Task.ContinueWith(_ => fault(), TaskScheduler.Default).Unwrap();
            void StartFault() => faultStarted.TrySetResult();
            var receiving = new List<Task>();
            for (int p = 0; p < pairs; p++)
            {
                got[p] = new ConcurrentDictionary<string, ulong>();
                int pair = p;
                receiving.Add(Task.Run(() => ReceiveAsync(receivers[pair], holders[(2 * pair) + 1], got[pair], messages, bound.Token)));
            }

            var sending = Enumerable.Range(0, pairs).Select(p => Task.Run(async () =>
            {
                for (int i = 0; i < messages; i += batch)
                {
                    if (i + batch >= messages)
                    {
                        // The last batch waits for the fault, so every sender sends after it (a killed
                        // node is noticed however fast the others were); the fault starts here at the
                        // latest.
                        StartFault();
                        await faultTask.WaitAsync(bound.Token);
                    }

                    byte[][] envelopes = Enumerable.Range(0, Math.Min(batch, messages - i)).Select(_ => senders[p].RatchetEnvelope(receivers[p])).ToArray();
                    foreach (byte[] envelope in envelopes)
                    {
                        expected.TryAdd(Convert.ToHexString(envelope), 0);
                    }

                    await SendAsync(senders[p], holders[2 * p], envelopes, bound.Token);
                    if (Volatile.Read(ref _accepted) >= faultAt)
                    {
                        StartFault();
                    }
                }
            })).ToArray();
            await Task.WhenAll(sending);
            await faultTask;
            await Task.WhenAll(receiving);
            int arrived = got.Sum(g => g.Keys.Count(expected.ContainsKey));
            return expected.Count - arrived;
        }
        finally
        {
            foreach (TestDevice device in senders.Concat(receivers))
            {
                device.Dispose();
            }
        }
    }

    private async Task SendAsync(TestDevice sender, GrpcChannelHolder holder, byte[][] envelopes, CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                SendResponse response = await sender.SendAsync(envelopes);
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

                return;
            }
            catch (RpcException)
            {
                // Outcome unknown: the same envelopes again, on the next node (a stored one is a duplicate).
                Interlocked.Increment(ref _failovers);
                holder.Channel = Next(holder.Channel);
                await Task.Delay(s_retryPause, cancellationToken);
            }
        }
    }

    private async Task ReceiveAsync(TestDevice receiver, GrpcChannelHolder holder, ConcurrentDictionary<string, ulong> got, int messages, CancellationToken cancellationToken)
    {
        var handled = new HashSet<ulong>();
        while (got.Count < messages)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                using AsyncDuplexStreamingCall<ReceiveRequest, ReceiveResponse> call = receiver.Messaging.Receive(receiver.Call(cancellationToken));
                await call.RequestStream.WriteAsync(new ReceiveRequest { Start = new ReceiveStart { Device = receiver.ApiAddress } }, cancellationToken);
                while (got.Count < messages && await call.ResponseStream.MoveNext(cancellationToken))
                {
                    if (call.ResponseStream.Current.KindCase != ReceiveResponse.KindOneofCase.Delivery)
                    {
                        continue;
                    }

                    Delivery delivery = call.ResponseStream.Current.Delivery;
                    if (!handled.Add(delivery.Sequence))
                    {
                        Interlocked.Increment(ref _redelivered);
                    }
                    else
                    {
                        Interlocked.Increment(ref _received);
                        string key = Convert.ToHexString(delivery.Envelope.Span);
                        if (!got.TryAdd(key, delivery.Sequence))
                        {
                            Interlocked.Increment(ref _duplicated);
                        }
                    }

                    await call.RequestStream.WriteAsync(new ReceiveRequest { Ack = new Acknowledge { Sequences = { delivery.Sequence } } }, cancellationToken);
                }

                await call.RequestStream.CompleteAsync();
            }
            catch (Exception ex) when (ex is RpcException or IOException or InvalidOperationException && !cancellationToken.IsCancellationRequested)
            {
                holder.Channel = Next(holder.Channel);
                await Task.Delay(s_retryPause, cancellationToken);
            }
        }
    }

    private GrpcChannel Next(GrpcChannel current)
    {
        IReadOnlyList<GrpcChannel> nodes = _nodes();
        int index = -1;
        for (int i = 0; i < nodes.Count; i++)
        {
            if (ReferenceEquals(nodes[i], current))
            {
                index = i;
            }
        }

        return nodes[(index + 1) % nodes.Count];
    }
}
