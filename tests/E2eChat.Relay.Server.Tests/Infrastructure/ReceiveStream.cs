using E2eChat.Relay.Server.Api;
using Grpc.Core;

namespace E2eChat.Relay.Server.Tests.Infrastructure;

/// <summary>A device's open receive stream; every wait is bounded so a broken relay fails a test instead of hanging it.</summary>
internal sealed class ReceiveStream : IDisposable
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(30);
    private readonly AsyncDuplexStreamingCall<ReceiveRequest, ReceiveResponse> _call;

    public ReceiveStream(AsyncDuplexStreamingCall<ReceiveRequest, ReceiveResponse> call)
    {
        _call = call;
    }

    public List<ulong> TrimNotices { get; } = [];

    public Task StartAsync(Api.DeviceAddress device) =>
        _call.RequestStream.WriteAsync(new ReceiveRequest { Start = new ReceiveStart { Device = device } });

    /// <summary>Reads deliveries until the relay says the queue is drained.</summary>
    public async Task<List<Delivery>> ReadUntilDrainedAsync()
    {
        var deliveries = new List<Delivery>();
        using var timeout = new CancellationTokenSource(s_wait);
        while (await _call.ResponseStream.MoveNext(timeout.Token))
        {
            ReceiveResponse response = _call.ResponseStream.Current;
            switch (response.KindCase)
            {
                case ReceiveResponse.KindOneofCase.Delivery:
                    deliveries.Add(response.Delivery);
                    break;
                case ReceiveResponse.KindOneofCase.Trimmed:
                    TrimNotices.Add(response.Trimmed.Count);
                    break;
                case ReceiveResponse.KindOneofCase.Drained:
                    return deliveries;
            }
        }

        throw new InvalidOperationException("The stream ended before the queue drained.");
    }

    /// <summary>Reads until <paramref name="count"/> deliveries have arrived (drained notices in between are skipped).</summary>
    public async Task<List<Delivery>> ReadAsync(int count)
    {
        var deliveries = new List<Delivery>();
        using var timeout = new CancellationTokenSource(s_wait);
        while (deliveries.Count < count && await _call.ResponseStream.MoveNext(timeout.Token))
        {
            if (_call.ResponseStream.Current.KindCase == ReceiveResponse.KindOneofCase.Delivery)
            {
                deliveries.Add(_call.ResponseStream.Current.Delivery);
            }
        }

        return deliveries;
    }

    /// <summary>Waits for the stream to end and returns its status.</summary>
    public async Task<RpcException?> ReadToEndAsync()
    {
        using var timeout = new CancellationTokenSource(s_wait);
        try
        {
            while (await _call.ResponseStream.MoveNext(timeout.Token))
            {
            }

            return null;
        }
        catch (RpcException ex)
        {
            return ex;
        }
    }

    public Task AckAsync(IEnumerable<ulong> sequences, ulong trimmed = 0)
    {
        var ack = new Acknowledge { Trimmed = trimmed };
        ack.Sequences.Add(sequences);
        return _call.RequestStream.WriteAsync(new ReceiveRequest { Ack = ack });
    }

    public Task CompleteAsync() => _call.RequestStream.CompleteAsync();

    /// <summary>Drops the stream (as a lost connection would).</summary>
    public void Dispose() => _call.Dispose();
}
