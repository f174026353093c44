using E2eChat.Relay.Server.Addressing;
using E2eChat.Relay.Server.Messaging;

namespace E2eChat.Relay.Server.Tests.Messaging;

/// <summary>
/// One stream per device: a newer one on this node ends the older at once; across nodes the highest
/// announced number wins, and this node's claim is the highest number any of its streams got.
/// </summary>
public sealed class ReceiveStreamRegistryTests
{
    private static readonly DeviceAddress s_bob = new("bob", 1);
    private static readonly DeviceAddress s_carol = new("carol", 1);

    [Fact]
    public void Register_SecondStream_EndsTheFirst()
    {
        var registry = new ReceiveStreamRegistry();
        CancellationTokenSource first = registry.Register(s_bob);
        CancellationTokenSource second = registry.Register(s_bob);

        Assert.True(first.IsCancellationRequested);
        Assert.False(second.IsCancellationRequested);
        registry.Unregister(s_bob, first);
        Assert.Equal(1, registry.Count);
        registry.Unregister(s_bob, second);
        Assert.Equal(0, registry.Count);
    }

    [Fact]
    public void AnnouncedElsewhere_HigherNumber_EndsTheStream_LowerOrOtherDevice_DoesNot()
    {
        var registry = new ReceiveStreamRegistry();
        CancellationTokenSource bob = Announced(registry, s_bob, 10);
        CancellationTokenSource carol = Announced(registry, s_carol, 11);

        Assert.False(registry.AnnouncedElsewhere(s_bob, 9));
        Assert.False(bob.IsCancellationRequested);
        Assert.True(registry.AnnouncedElsewhere(s_bob, 12));
        Assert.True(bob.IsCancellationRequested);
        Assert.False(carol.IsCancellationRequested);
        Assert.False(registry.AnnouncedElsewhere(s_bob, 13));
    }

    [Fact]
    public void AnnouncedElsewhere_BeforeOwnNumber_DecidedWhenTheNumberComes()
    {
        var registry = new ReceiveStreamRegistry();
        CancellationTokenSource older = registry.Register(s_bob);
        Assert.False(registry.AnnouncedElsewhere(s_bob, 20));
        Assert.False(older.IsCancellationRequested);
        Assert.True(registry.Announced(s_bob, older, 19));
        Assert.True(older.IsCancellationRequested);
        registry.Unregister(s_bob, older);

        CancellationTokenSource newer = registry.Register(s_bob);
        Assert.False(registry.AnnouncedElsewhere(s_bob, 20));
        Assert.False(registry.Announced(s_bob, newer, 21));
        Assert.False(newer.IsCancellationRequested);
    }

    [Fact]
    public void Announced_ReplacedStreamGotTheHigherNumber_SuccessorInheritsIt()
    {
        var registry = new ReceiveStreamRegistry();
        CancellationTokenSource first = registry.Register(s_bob);
        CancellationTokenSource second = registry.Register(s_bob);
        Assert.False(registry.Announced(s_bob, first, 10));
        Assert.False(registry.Announced(s_bob, second, 8));

        // Another node's stream numbered between them lost to this node's first announcement.
        Assert.False(registry.AnnouncedElsewhere(s_bob, 9));
        Assert.False(second.IsCancellationRequested);
        Assert.True(registry.AnnouncedElsewhere(s_bob, 11));
        Assert.True(second.IsCancellationRequested);
    }

    [Fact]
    public void AnnouncedElsewhere_NoStreamHere_Ignored()
    {
        var registry = new ReceiveStreamRegistry();
        Assert.False(registry.AnnouncedElsewhere(s_bob, 5));
        CancellationTokenSource stream = Announced(registry, s_bob, 6);
        registry.Unregister(s_bob, stream);
        Assert.False(registry.Announced(s_bob, stream, 7));
        Assert.Equal(0, registry.Count);
    }

    /// <summary>Registers a stream and records its number, which must not end it.</summary>
    private static CancellationTokenSource Announced(ReceiveStreamRegistry registry, DeviceAddress device, long order)
    {
        CancellationTokenSource stream = registry.Register(device);
        Assert.False(registry.Announced(device, stream, order));
        Assert.False(stream.IsCancellationRequested);
        return stream;
    }
}
