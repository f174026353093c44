using System.Security.Cryptography;
using E2eChat.Relay.Server.Api;
using E2eChat.Relay.Server.Storage;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using RelayKind = E2eChat.Wire.AccountKind;

namespace E2eChat.Relay.Server.Tests.Integration;

public sealed class MessagingTests(SharedRelayFixture fixture) : IClassFixture<SharedRelayFixture>
{
    private readonly RelayTestServer _server = fixture.Server;

    [Fact]
    public async Task Send_ThenReceive_InOrderAndDeletedOnlyAfterAck()
    {
        (TestDevice alice, TestDevice bob) = await PairAsync();
        byte[][] envelopes = Enumerable.Range(0, 5).Select(_ => alice.RatchetEnvelope(bob)).ToArray();
        SendResponse sent = await alice.SendAsync(envelopes);
        Assert.All(sent.Results, r => Assert.Equal(EnvelopeStatus.Accepted, r.Status));

        using (ReceiveStream stream = await bob.ReceiveAsync())
        {
            List<Delivery> first = await stream.ReadUntilDrainedAsync();
            Assert.Equal(envelopes, first.Select(d => d.Envelope.ToByteArray()));
            await stream.AckAsync(first.Take(2).Select(d => d.Sequence));

            // The relay applies an acknowledgement after reading it from the stream, which a loaded machine
            // may do after the stream below is dropped: wait until these two are gone from the store.
            await WaitUntilQueuedAsync(bob, first.Count - 2);

            // A message sent while the stream is open arrives on it.
            byte[] live = alice.RatchetEnvelope(bob);
            await alice.SendAsync(live);
            Assert.Equal(live, (await stream.ReadAsync(1)).Single().Envelope.ToByteArray());
        }

        // The stream was dropped without acknowledging the rest: all of it comes again, in order.
        using (ReceiveStream again = await bob.ReceiveAsync())
        {
            List<Delivery> redelivered = await again.ReadUntilDrainedAsync();
            Assert.Equal(4, redelivered.Count);
            Assert.Equal(envelopes.Skip(2), redelivered.Take(3).Select(d => d.Envelope.ToByteArray()));
            await again.AckAsync(redelivered.Select(d => d.Sequence));
            await again.CompleteAsync();
            Assert.Null(await again.ReadToEndAsync());
        }

        using ReceiveStream last = await bob.ReceiveAsync();
        Assert.Empty(await last.ReadUntilDrainedAsync());
    }

    [Fact]
    public async Task Receive_BacklogLongerThanOnePage_AllSentBeforeDrained()
    {
        // More than one store page is queued before the stream opens: the stream must keep reading the
        // store past the first page instead of waiting for hand-overs that never come.
        await using RelayTestServer server = await RelayTestServer.StartAsync(settings: ["--Relay:RateLimitBurst=100000", "--Relay:RateLimitPerSecond=100000"]);
        var alice = new TestDevice(server, Names.New("alice"));
        var bob = new TestDevice(server, Names.New("bob"));
        await alice.AuthenticateAsync();
        await bob.AuthenticateAsync();
        const int Batches = 3;
        const int PerBatch = 50;
        var envelopes = new List<byte[]>();
        for (int b = 0; b < Batches; b++)
        {
            byte[][] batch = Enumerable.Range(0, PerBatch).Select(_ => alice.RatchetEnvelope(bob)).ToArray();
            Assert.All((await alice.SendAsync(batch)).Results, r => Assert.Equal(EnvelopeStatus.Accepted, r.Status));
            envelopes.AddRange(batch);
        }

        using ReceiveStream stream = await bob.ReceiveAsync();
        List<Delivery> received = await stream.ReadUntilDrainedAsync();
        Assert.Equal(envelopes, received.Select(d => d.Envelope.ToByteArray()));
    }

    [Fact]
    public async Task Receive_WindowFull_AcknowledgementResumesTheStream()
    {
        // More than MaxUnacknowledgedPerStream queued: the stream stops at the window and waits; the
        // acknowledgement must wake it (the catch-up interval is far longer than the read's bound).
        await using RelayTestServer server = await RelayTestServer.StartAsync(settings: ["--Relay:RateLimitBurst=100000", "--Relay:RateLimitPerSecond=100000", "--Relay:CatchUpInterval=00:10:00"]);
        var alice = new TestDevice(server, Names.New("alice"));
        var bob = new TestDevice(server, Names.New("bob"));
        await alice.AuthenticateAsync();
        await bob.AuthenticateAsync();
        const int Total = RelayServerLimits.MaxUnacknowledgedPerStream + 44;
        var envelopes = new List<byte[]>();
        while (envelopes.Count < Total)
        {
            byte[][] batch = Enumerable.Range(0, Math.Min(RelayServerLimits.MaxBatchEnvelopes, Total - envelopes.Count)).Select(_ => alice.RatchetEnvelope(bob)).ToArray();
            Assert.All((await alice.SendAsync(batch)).Results, r => Assert.Equal(EnvelopeStatus.Accepted, r.Status));
            envelopes.AddRange(batch);
        }

        using ReceiveStream stream = await bob.ReceiveAsync();
        List<Delivery> window = await stream.ReadAsync(RelayServerLimits.MaxUnacknowledgedPerStream);
        Assert.Equal(envelopes.Take(RelayServerLimits.MaxUnacknowledgedPerStream), window.Select(d => d.Envelope.ToByteArray()));
        await stream.AckAsync(window.Select(d => d.Sequence));
        List<Delivery> rest = await stream.ReadUntilDrainedAsync();
        Assert.Equal(envelopes.Skip(RelayServerLimits.MaxUnacknowledgedPerStream), rest.Select(d => d.Envelope.ToByteArray()));
    }

    [Fact]
    public async Task Receive_LaterRequestMalformed_StreamEndsMalformedRequest_EarlierAckApplied()
    {
        (TestDevice alice, TestDevice bob) = await PairAsync();
        await alice.SendAsync(alice.RatchetEnvelope(bob), alice.RatchetEnvelope(bob));

        // A valid start, an acknowledgement of the first delivery, then bytes that are no ReceiveRequest:
        // the stream ends with the typed refusal (not OK); the acknowledgement read before it is carried
        // out, the second delivery stays queued.
        using AsyncDuplexStreamingCall<byte[], byte[]> call = await StartRawReceiveAsync(bob);
        ReceiveResponse first = ReceiveResponse.Parser.ParseFrom(call.ResponseStream.Current);
        Assert.Equal(ReceiveResponse.KindOneofCase.Delivery, first.KindCase);
        await call.RequestStream.WriteAsync(new ReceiveRequest { Ack = new Acknowledge { Sequences = { first.Delivery.Sequence } } }.ToByteArray());
        await call.RequestStream.WriteAsync([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 1]);
        await Assertions.RefusedAsync(StatusCode.InvalidArgument, "MalformedRequest", async () =>
        {
            while (await call.ResponseStream.MoveNext())
            {
            }
        });

        using ReceiveStream stream = await bob.ReceiveAsync();
        Delivery left = Assert.Single(await stream.ReadUntilDrainedAsync());
        Assert.True(left.Sequence > first.Delivery.Sequence);
    }

    [Fact]
    public async Task Receive_LaterRequestBeyondTheSizeLimit_StreamEndsResourceExhausted()
    {
        (TestDevice alice, TestDevice bob) = await PairAsync();
        await alice.SendAsync(alice.RatchetEnvelope(bob));
        using AsyncDuplexStreamingCall<byte[], byte[]> call = await StartRawReceiveAsync(bob);

        try
        {
            await call.RequestStream.WriteAsync(new byte[RelayServerLimits.MaxRequestBytes + 1]);
        }
        catch (RpcException)
        {
            // The relay may end the call while the request is still being written; its status says why.
        }

        RpcException ended = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            while (await call.ResponseStream.MoveNext())
            {
            }
        });
        Assert.Equal(StatusCode.ResourceExhausted, ended.StatusCode);

        // Nothing was acknowledged: the delivery comes again.
        using ReceiveStream stream = await bob.ReceiveAsync();
        Assert.Single(await stream.ReadUntilDrainedAsync());
    }

    [Fact]
    public async Task Send_RetriedEnvelope_AcceptedOnceAcknowledgedAgain()
    {
        (TestDevice alice, TestDevice bob) = await PairAsync();
        byte[] envelope = alice.RatchetEnvelope(bob);
        Assert.Equal(EnvelopeStatus.Accepted, (await alice.SendAsync(envelope)).Results.Single().Status);
        Assert.Equal(EnvelopeStatus.Duplicate, (await alice.SendAsync(envelope)).Results.Single().Status);
        using ReceiveStream stream = await bob.ReceiveAsync();
        Assert.Single(await stream.ReadUntilDrainedAsync());
    }

    [Fact]
    public async Task Send_BadInput_SpecificStatusAndNothingStored()
    {
        (TestDevice alice, TestDevice bob) = await PairAsync();
        byte[] good = alice.RatchetEnvelope(bob);
        byte[] truncated = good[..^3];
        RpcException ex = await Assertions.RefusedAsync(StatusCode.InvalidArgument, "Truncated", () => alice.SendAsync(good, truncated));
        Assert.Equal("1", ex.Trailers.GetValue("e2echat-index"));
        await Assertions.RefusedAsync(StatusCode.InvalidArgument, "TooLarge", () => alice.SendAsync(new byte[RelayServerLimits.MaxEnvelopeLength + 1]));
        await Assertions.RefusedAsync(StatusCode.InvalidArgument, "MissingVersion", () => alice.SendAsync(new byte[] { 0x10, 0x01 }));
        await Assertions.RefusedAsync(StatusCode.NotFound, "UnknownRecipient", () => alice.SendAsync(good, alice.Envelope(new E2eChat.ProtocolAddress(Names.New("ghost"), 1), RelayKind.Person, TestEnvelopes.RandomRatchetMessage())));
        await Assertions.RefusedAsync(StatusCode.InvalidArgument, "RecipientKindMismatch", () => alice.SendAsync(alice.Envelope(bob.Address, RelayKind.Business, TestEnvelopes.RandomRatchetMessage())));
        await Assertions.RefusedAsync(StatusCode.InvalidArgument, "BatchTooLarge", () => alice.SendAsync(Enumerable.Range(0, RelayServerLimits.MaxBatchEnvelopes + 1).Select(_ => alice.RatchetEnvelope(bob)).ToArray()));
        await Assertions.RefusedAsync(StatusCode.InvalidArgument, "EmptyBatch", () => alice.SendAsync());

        // Not a SendRequest at all: the call fails and nothing is stored.
        var garbage = new Method<byte[], byte[]>(MethodType.Unary, "e2echat.relay.v1.Messaging", "Send", Marshallers.Create(b => b, b => b), Marshallers.Create(b => b, b => b));
        await Assertions.RefusedAsync(StatusCode.InvalidArgument, "MalformedRequest", () => alice.Invoker.AsyncUnaryCall(garbage, null, alice.Call(), new byte[] { 0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 1 }).ResponseAsync);

        using ReceiveStream stream = await bob.ReceiveAsync();
        Assert.Empty(await stream.ReadUntilDrainedAsync());
    }

    [Fact]
    public async Task Post_StoredOnceDeliveredToEachAudienceDevice()
    {
        string shopName = Names.New("shop");
        using var shop = new TestDevice(_server, shopName, 1, RelayKind.Business);
        using var alice1 = new TestDevice(_server, Names.New("alice"));
        using var alice2 = new TestDevice(_server, alice1.Name, 2);
        using var bob = new TestDevice(_server, Names.New("bob"));
        foreach (TestDevice d in new[] { shop, alice1, alice2, bob })
        {
            await d.AuthenticateAsync();
        }

        // A business's post is decided and billed as marketing per person account (PROTOCOL.md 17.4):
        // these customers opened the 24-hour window by writing first.
        foreach (TestDevice customer in new[] { alice1, bob })
        {
            Assert.Equal(EnvelopeStatus.Accepted, (await customer.SendAsync(customer.RatchetEnvelope(shop))).Results.Single().Status);
        }

        using GroupSender sender = GroupSender.Create();
        byte[] envelope = shop.Envelope(shop.Address, RelayKind.Business, sender.Encrypt("20% off today"u8, 0));
        var request = new PostRequest { Envelope = ByteString.CopyFrom(envelope) };
        request.Audience.Add([alice1.ApiAddress, alice2.ApiAddress, bob.ApiAddress]);
        PostResponse posted = await shop.Messaging.PostAsync(request, shop.Call());
        Assert.All(posted.Results, r => Assert.Equal(EnvelopeStatus.Accepted, r.Status));
        Assert.All((await shop.Messaging.PostAsync(request, shop.Call())).Results, r => Assert.Equal(EnvelopeStatus.Duplicate, r.Status));

        foreach (TestDevice viewer in new[] { alice1, alice2, bob })
        {
            using ReceiveStream stream = await viewer.ReceiveAsync();
            Assert.Equal(envelope, (await stream.ReadUntilDrainedAsync()).Single().Envelope.ToByteArray());
        }

        // Billed once per recipient account (alice's two devices are one), never twice on retry.
        GetUsageResponse usage = await shop.Billing.GetUsageAsync(new GetUsageRequest { Account = shopName, FromDay = 0, ToDay = 300 }, shop.Call());
        Assert.Empty(usage.Rows);
        uint today = (uint)(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 86_400_000);
        usage = await shop.Billing.GetUsageAsync(new GetUsageRequest { Account = shopName, FromDay = today - 1, ToDay = today + 1 }, shop.Call());
        UsageRow row = usage.Rows.Single();
        Assert.Equal(2ul, row.Messages);
        Assert.Equal("MARKETING", row.Category);
        Assert.Equal(25000ul, row.UnitPriceMicros);
        Assert.Equal(50000ul, row.AmountMicros);

        // A post must be a sender-key envelope addressed to its sender.
        request.Envelope = ByteString.CopyFrom(shop.RatchetEnvelope(bob));
        await Assertions.RefusedAsync(StatusCode.InvalidArgument, "InvalidPost", () => shop.Messaging.PostAsync(request, shop.Call()).ResponseAsync);
    }

    [Fact]
    public async Task Billing_BusinessToCustomerFanOutAndSyncCopies_BilledOnceAndOnlyToItsOwnAccount()
    {
        string shopName = Names.New("shop");
        using var desk1 = new TestDevice(_server, shopName, 1, RelayKind.Business);
        using var desk2 = new TestDevice(_server, shopName, 2, RelayKind.Business);
        using var otherShop = new TestDevice(_server, Names.New("shop"), 1, RelayKind.Business);
        using var alice1 = new TestDevice(_server, Names.New("alice"));
        using var alice2 = new TestDevice(_server, alice1.Name, 2);
        foreach (TestDevice d in new[] { desk1, desk2, otherShop, alice1, alice2 })
        {
            await d.AuthenticateAsync();
        }

        // Alice writes first (persons are never billed), opening the window for the shop's replies.
        await alice1.SendAsync(alice1.RatchetEnvelope(desk1), alice1.RatchetEnvelope(desk2));
        byte[] id = RandomNumberGenerator.GetBytes(16);
        await desk1.SendAsync(desk1.RatchetEnvelope(alice1, id), desk1.RatchetEnvelope(alice2, id), desk1.RatchetEnvelope(desk2, id));
        await desk1.SendAsync(desk1.RatchetEnvelope(alice1, id));

        uint today = (uint)(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 86_400_000);
        var query = new GetUsageRequest { Account = shopName, FromDay = today - 1, ToDay = today + 1 };
        UsageRow billed = (await desk2.Billing.GetUsageAsync(query, desk2.Call())).Rows.Single();
        Assert.Equal(1ul, billed.Messages);
        Assert.Equal("SERVICE", billed.Category);
        await Assertions.RefusedAsync(StatusCode.PermissionDenied, "NotYourAccount", () => otherShop.Billing.GetUsageAsync(query, otherShop.Call()).ResponseAsync);
        await Assertions.RefusedAsync(StatusCode.PermissionDenied, "NotYourAccount", () => alice1.Billing.GetUsageAsync(new GetUsageRequest { Account = alice1.Name, ToDay = 1 }, alice1.Call()).ResponseAsync);
    }

    [Fact]
    public async Task Receive_NewerStreamForTheSameDevice_EndsTheOlder()
    {
        (TestDevice alice, TestDevice bob) = await PairAsync();
        using ReceiveStream first = await bob.ReceiveAsync();
        await first.ReadUntilDrainedAsync();
        using ReceiveStream second = await bob.ReceiveAsync();
        await second.ReadUntilDrainedAsync();
        RpcException? ended = await first.ReadToEndAsync();
        Assert.Equal(StatusCode.Aborted, ended?.StatusCode);
        byte[] envelope = alice.RatchetEnvelope(bob);
        await alice.SendAsync(envelope);
        Assert.Equal(envelope, (await second.ReadAsync(1)).Single().Envelope.ToByteArray());
    }

    /// <summary>A receive stream of raw bytes (to send what no client would), started and past its first answer.</summary>
    private static async Task<AsyncDuplexStreamingCall<byte[], byte[]>> StartRawReceiveAsync(TestDevice device)
    {
        var raw = new Method<byte[], byte[]>(MethodType.DuplexStreaming, "e2echat.relay.v1.Messaging", "Receive", Marshallers.Create(b => b, b => b), Marshallers.Create(b => b, b => b));
        AsyncDuplexStreamingCall<byte[], byte[]> call = device.Invoker.AsyncDuplexStreamingCall(raw, null, device.Call());
        await call.RequestStream.WriteAsync(new ReceiveRequest { Start = new ReceiveStart { Device = device.ApiAddress } }.ToByteArray());
        Assert.True(await call.ResponseStream.MoveNext());
        return call;
    }

    /// <summary>Waits (at most 30 s) until the store holds <paramref name="count"/> entries for the device.</summary>
    private async Task WaitUntilQueuedAsync(TestDevice device, int count)
    {
        IRelayStore store = _server.Services.GetRequiredService<IRelayStore>();
        var address = new Addressing.DeviceAddress(device.Name, device.Device);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while ((await store.ReadQueueAsync(address, 0, 1000, 0, timeout.Token)).Deliveries.Count != count)
        {
            await Task.Delay(10, timeout.Token);
        }
    }

    private async Task<(TestDevice Alice, TestDevice Bob)> PairAsync()
    {
        var alice = new TestDevice(_server, Names.New("alice"));
        var bob = new TestDevice(_server, Names.New("bob"));
        await alice.AuthenticateAsync();
        await bob.AuthenticateAsync();
        return (alice, bob);
    }
}
