using System.Security.Cryptography;
using E2eChat.Relay.Server.Api;
using E2eChat.Relay.Server.Errors;
using E2eChat.Relay.Server.Storage;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using RelayKind = E2eChat.Wire.AccountKind;

namespace E2eChat.Relay.Server.Tests.MultiNode;

/// <summary>Relay nodes over one PostgreSQL schema: live delivery across nodes, catch-up, claims and billing once, one receive stream per device.</summary>
public sealed class CrossNodeTests
{
    /// <summary>No catch-up read within a test's bounds: only a notification can deliver live.</summary>
    private const string NoCatchUp = "--Relay:CatchUpInterval=00:10:00";

    [Fact]
    public async Task SentThroughNodeA_ReceivedLiveOnNodesBAndC_ByNotification()
    {
        await using PostgresRelayCluster cluster = await PostgresRelayCluster.StartAsync(3, NoCatchUp);
        using var alice = new TestDevice(cluster.Nodes[0], Names.New("alice"));
        using var bob = new TestDevice(cluster.Nodes[1], Names.New("bob"));
        using var carol = new TestDevice(cluster.Nodes[2], Names.New("carol"));
        await alice.AuthenticateAsync();
        await bob.AuthenticateAsync();
        await carol.AuthenticateAsync();

        using ReceiveStream bobStream = await bob.ReceiveAsync();
        using ReceiveStream carolStream = await carol.ReceiveAsync();
        Assert.Empty(await bobStream.ReadUntilDrainedAsync());
        Assert.Empty(await carolStream.ReadUntilDrainedAsync());

        byte[][] toBob = Enumerable.Range(0, 5).Select(_ => alice.RatchetEnvelope(bob)).ToArray();
        Assert.All((await alice.SendAsync(toBob)).Results, r => Assert.Equal(EnvelopeStatus.Accepted, r.Status));
        Assert.Equal(toBob, (await bobStream.ReadAsync(5)).Select(d => d.Envelope.ToByteArray()));

        byte[] toCarol = bob.RatchetEnvelope(carol);
        Assert.Equal(EnvelopeStatus.Accepted, (await bob.SendAsync(toCarol)).Results.Single().Status);
        Assert.Equal(toCarol, (await carolStream.ReadAsync(1)).Single().Envelope.ToByteArray());
    }

    [Fact]
    public async Task StoredWithoutAnyNotification_ReceivedByTheCatchUpRead()
    {
        await using PostgresRelayCluster cluster = await PostgresRelayCluster.StartAsync(2, "--Relay:CatchUpInterval=00:00:00.200");
        using var alice = new TestDevice(cluster.Nodes[0], Names.New("alice"));
        using var bob = new TestDevice(cluster.Nodes[1], Names.New("bob"));
        await alice.AuthenticateAsync();
        await bob.AuthenticateAsync();
        using ReceiveStream stream = await bob.ReceiveAsync();
        Assert.Empty(await stream.ReadUntilDrainedAsync());

        // Written straight into node A's store: no node sends a notification for it.
        IRelayStore store = cluster.Nodes[0].Services.GetRequiredService<IRelayStore>();
        byte[] envelope = alice.RatchetEnvelope(bob);
        var sender = new Addressing.DeviceAddress(alice.Name, 1);
        var recipient = new Addressing.DeviceAddress(bob.Name, 1);
        await store.StoreAsync([new MessageToStore(sender, RandomNumberGenerator.GetBytes(16), envelope, long.MaxValue, [recipient], [], null)], DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), 100, default);
        Assert.Equal(envelope, (await stream.ReadAsync(1)).Single().Envelope.ToByteArray());
    }

    [Fact]
    public async Task ListenerConnectionsCut_ListenersReconnectAndStreamsGetWhatCameMeanwhile()
    {
        await using PostgresRelayCluster cluster = await PostgresRelayCluster.StartAsync(2, NoCatchUp);
        using var alice = new TestDevice(cluster.Nodes[0], Names.New("alice"));
        using var bob = new TestDevice(cluster.Nodes[1], Names.New("bob"));
        await alice.AuthenticateAsync();
        await bob.AuthenticateAsync();
        using ReceiveStream stream = await bob.ReceiveAsync();
        Assert.Empty(await stream.ReadUntilDrainedAsync());

        // Every connection of both nodes is cut; a send right away may find node B deaf, and is
        // delivered when its listener is back (it wakes every stream once).
        Assert.True(await cluster.CutConnectionsAsync() >= 2);
        byte[] during = alice.RatchetEnvelope(bob);
        Assert.Equal(EnvelopeStatus.Accepted, (await alice.SendAsync(during)).Results.Single().Status);
        Assert.Equal(during, (await stream.ReadAsync(1)).Single().Envelope.ToByteArray());

        await cluster.WaitListeningAsync();
        byte[] after = alice.RatchetEnvelope(bob);
        Assert.Equal(EnvelopeStatus.Accepted, (await alice.SendAsync(after)).Results.Single().Status);
        Assert.Equal(after, (await stream.ReadAsync(1)).Single().Envelope.ToByteArray());
    }

    [Fact]
    public async Task BundlesFetchedThroughThreeNodesAtOnce_NoOneTimeKeyTwice()
    {
        await using PostgresRelayCluster cluster = await PostgresRelayCluster.StartAsync(3, NoCatchUp);
        using var shop = new TestDevice(cluster.Nodes[0], Names.New("shop"), kind: RelayKind.Business);
        await shop.AuthenticateAsync();
        await shop.PublishKeysAsync(oneTime: 30, oneTimeKem: 30);
        var customers = new List<TestDevice>();
        for (int i = 0; i < 3; i++)
        {
            var customer = new TestDevice(cluster.Nodes[i], Names.New("customer"));
            await customer.AuthenticateAsync();
            customers.Add(customer);
        }

        FetchBundlesResponse[] responses = await Task.WhenAll(Enumerable.Range(0, 48).Select(i =>
            customers[i % 3].Keys.FetchBundlesAsync(new FetchBundlesRequest { Name = shop.Name, Device = 1 }, customers[i % 3].Call()).ResponseAsync));
        uint[] oneTime = responses.Select(r => r.Bundles.Single().Bundle).Where(b => b.OneTimePrekeyId != 0).Select(b => b.OneTimePrekeyId).ToArray();
        Assert.Equal(30, oneTime.Length);
        Assert.Equal(30, oneTime.Distinct().Count());
        foreach (TestDevice customer in customers)
        {
            customer.Dispose();
        }
    }

    [Fact]
    public async Task SameEnvelopeThroughEveryNodeAtOnce_QueuedOnceAndBilledOnce()
    {
        await using PostgresRelayCluster cluster = await PostgresRelayCluster.StartAsync(3, NoCatchUp);
        // One business device, connected to every node (the same identity authenticates on each).
        string shopName = Names.New("shop");
        var desks = new List<TestDevice>();
        for (int i = 0; i < 3; i++)
        {
            var desk = new TestDevice(cluster.Nodes[i], shopName, kind: RelayKind.Business, identity: desks.FirstOrDefault()?.Identity);
            await desk.AuthenticateAsync();
            desks.Add(desk);
        }

        using var alice = new TestDevice(cluster.Nodes[1], Names.New("alice"));
        await alice.AuthenticateAsync();
        // Alice writes first: that opens the service window (PROTOCOL.md 17.3), so the shop may answer.
        Assert.Equal(EnvelopeStatus.Accepted, (await alice.SendAsync(alice.RatchetEnvelope(desks[0]))).Results.Single().Status);
        for (int round = 0; round < 5; round++)
        {
            byte[] envelope = desks[0].RatchetEnvelope(alice);
            SendResponse[] responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => desks[i % 3].SendAsync(envelope)));
            Assert.Equal(1, responses.Count(r => r.Results.Single().Status == EnvelopeStatus.Accepted));
            Assert.Equal(5, responses.Count(r => r.Results.Single().Status == EnvelopeStatus.Duplicate));
        }

        using ReceiveStream stream = await alice.ReceiveAsync();
        Assert.Equal(5, (await stream.ReadUntilDrainedAsync()).Count);
        uint today = (uint)(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 86_400_000);
        var query = new GetUsageRequest { Account = shopName, FromDay = today - 1, ToDay = today + 1 };
        Assert.Equal(5ul, (await desks[2].Billing.GetUsageAsync(query, desks[2].Call())).Rows.Single().Messages);
        desks[0].Dispose();
    }

    [Fact]
    public async Task StreamOnNodeA_SameDeviceOpensOneOnNodeB_AEndsStreamReplaced_BGetsTheUnacknowledged()
    {
        await using PostgresRelayCluster cluster = await PostgresRelayCluster.StartAsync(2, NoCatchUp);
        using TestDevice alice = await AuthenticatedAsync(cluster.Nodes[0], Names.New("alice"));
        using TestDevice bob = await AuthenticatedAsync(cluster.Nodes[0], Names.New("bob"));
        using ReceiveStream onA = await DrainedStreamAsync(bob);
        byte[][] queued = Enumerable.Range(0, 3).Select(_ => alice.RatchetEnvelope(bob)).ToArray();
        Assert.All((await alice.SendAsync(queued)).Results, r => Assert.Equal(EnvelopeStatus.Accepted, r.Status));
        Assert.Equal(queued, (await onA.ReadAsync(3)).Select(d => d.Envelope.ToByteArray()));

        // The same device (same identity) reconnects through node B; the stream on A is never acknowledged.
        TestDevice bobOnB = await AuthenticatedAsync(cluster.Nodes[1], bob.Name, bob.Identity);
        using ReceiveStream onB = await bobOnB.ReceiveAsync();
        List<Delivery> redelivered = await onB.ReadUntilDrainedAsync();
        Assert.Equal(queued, redelivered.Select(d => d.Envelope.ToByteArray()));

        RpcException? ended = await onA.ReadToEndAsync();
        Assert.Equal(StatusCode.Aborted, ended?.StatusCode);
        Assert.Equal("StreamReplaced", ended!.Trailers.GetValue(RelayErrors.FailureTrailer));

        await onB.AckAsync(redelivered.Select(d => d.Sequence));
        await SentAndReceivedAsync(alice, bob, onB);
    }

    [Fact]
    public async Task StreamOpenedOnNodeB_NotEndedByItsOwnAnnouncement_OtherDevicesStreamOnAUnaffected()
    {
        await using PostgresRelayCluster cluster = await PostgresRelayCluster.StartAsync(2, NoCatchUp);
        using TestDevice alice = await AuthenticatedAsync(cluster.Nodes[0], Names.New("alice"));
        using TestDevice bob = await AuthenticatedAsync(cluster.Nodes[0], Names.New("bob"));
        using TestDevice carol = await AuthenticatedAsync(cluster.Nodes[0], Names.New("carol"));
        using ReceiveStream carolOnA = await DrainedStreamAsync(carol);
        using ReceiveStream bobOnA = await DrainedStreamAsync(bob);
        TestDevice bobOnB = await AuthenticatedAsync(cluster.Nodes[1], bob.Name, bob.Identity);
        using ReceiveStream onB = await DrainedStreamAsync(bobOnB);

        // A has handled B's announcement once bob's stream on A has ended.
        RpcException? ended = await bobOnA.ReadToEndAsync();
        Assert.Equal(StatusCode.Aborted, ended?.StatusCode);

        // Sent through A and delivered on B by notification alone: B's listener has handled every
        // earlier notification of the channel, its own announcement included, and the stream is open.
        for (int round = 0; round < 2; round++)
        {
            await SentAndReceivedAsync(alice, bob, onB);
            await SentAndReceivedAsync(alice, carol, carolOnA);
        }

        // Both streams end as their clients close them: with OK, not replaced.
        await onB.CompleteAsync();
        await carolOnA.CompleteAsync();
        Assert.Null(await onB.ReadToEndAsync());
        Assert.Null(await carolOnA.ReadToEndAsync());
    }

    /// <summary>A device on <paramref name="node"/>, authenticated (with <paramref name="identity"/>, the same device on another node).</summary>
    private static async Task<TestDevice> AuthenticatedAsync(RelayTestServer node, string name, IdentityKeyPair? identity = null)
    {
        var device = new TestDevice(node, name, identity: identity);
        await device.AuthenticateAsync();
        return device;
    }

    /// <summary>Sends one envelope and reads it from the recipient's <paramref name="stream"/> (live: the queue was drained), which acknowledges it.</summary>
    private static async Task SentAndReceivedAsync(TestDevice from, TestDevice to, ReceiveStream stream)
    {
        byte[] envelope = from.RatchetEnvelope(to);
        Assert.Equal(EnvelopeStatus.Accepted, (await from.SendAsync(envelope)).Results.Single().Status);
        Delivery delivery = (await stream.ReadAsync(1)).Single();
        Assert.Equal(envelope, delivery.Envelope.ToByteArray());
        await stream.AckAsync([delivery.Sequence]);
    }

    /// <summary>Opens the device's receive stream and reads it until drained, which must find its queue empty.</summary>
    private static async Task<ReceiveStream> DrainedStreamAsync(TestDevice device)
    {
        ReceiveStream stream = await device.ReceiveAsync();
        Assert.Empty(await stream.ReadUntilDrainedAsync());
        return stream;
    }
}
