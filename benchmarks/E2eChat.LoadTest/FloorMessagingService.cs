using System.Collections.Concurrent;
using System.Threading.Channels;
using E2eChat.Relay.Server.Api;
using Grpc.Core;

namespace E2eChat.LoadTest;

/// <summary>
/// The transport floor: the same <c>Messaging</c> calls served by a service that stores nothing and
/// checks nothing; envelopes go straight from <c>Send</c> to the recipient's open stream.
/// </summary>
internal sealed class FloorMessagingService : Messaging.MessagingBase
{
    private readonly ConcurrentDictionary<string, Channel<byte[]>> _queues = new(StringComparer.Ordinal);
    private long _sequence;

    public override Task<SendResponse> Send(SendRequest request, ServerCallContext context)
    {
        var response = new SendResponse();
        foreach (Google.Protobuf.ByteString envelope in request.Envelopes)
        {
            // The recipient is carried in the metadata so the floor parses nothing.
            string recipient = context.RequestHeaders.GetValue("x-recipient") ?? string.Empty;
            Queue(recipient).Writer.TryWrite(envelope.ToByteArray());
            response.Results.Add(new EnvelopeResult { Status = EnvelopeStatus.Accepted });
        }

        return Task.FromResult(response);
    }

    public override async Task Receive(IAsyncStreamReader<ReceiveRequest> requestStream, IServerStreamWriter<ReceiveResponse> responseStream, ServerCallContext context)
    {
        if (!await requestStream.MoveNext(context.CancellationToken))
        {
            return;
        }

        string device = requestStream.Current.Start.Device.Name;
        Task acks = Task.Run(async () =>
        {
            while (await requestStream.MoveNext(context.CancellationToken))
            {
            }
        });
        ChannelReader<byte[]> reader = Queue(device).Reader;
        try
        {
            await foreach (byte[] envelope in reader.ReadAllAsync(context.CancellationToken))
            {
                await responseStream.WriteAsync(new ReceiveResponse { Delivery = new Delivery { Sequence = (ulong)Interlocked.Increment(ref _sequence), Envelope = Google.Protobuf.UnsafeByteOperations.UnsafeWrap(envelope) } });
            }
        }
        catch (OperationCanceledException)
        {
        }

        await acks.ContinueWith(_ => { }, TaskScheduler.Default);
    }

    private Channel<byte[]> Queue(string device) => _queues.GetOrAdd(device, _ => Channel.CreateUnbounded<byte[]>());
}
