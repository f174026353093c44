using E2eChat.Relay.Server;
using E2eChat.Relay.Server.Addressing;
using E2eChat.Relay.Server.Messaging;
using E2eChat.Relay.Server.Storage;

namespace E2eChat.Relay.Server.Tests.Messaging;

/// <summary>
/// Live hand-over: a stream sends committed entries from memory only when they follow its cursor
/// without a gap; every other case sends it to the store, which has them all.
/// </summary>
public sealed class InProcessQueueSignalTests
{
    private const long Now = 1_750_000_000_000;

    private static readonly DeviceAddress s_bob = new("bob", 1);

    [Fact]
    public void TryTakeLive_NewStream_ReadsTheStoreFirst()
    {
        var signal = new InProcessQueueSignal();
        using IQueueSubscription subscription = signal.Subscribe(s_bob);
        signal.Offer(Entry(1));
        var taken = new List<QueuedDelivery>();

        Assert.False(subscription.TryTakeLive(0, 100, Now, taken));
        Assert.Empty(taken);
        Assert.True(subscription.TryTakeLive(0, 100, Now, taken));
        Assert.Empty(taken);
    }

    [Fact]
    public void TryTakeLive_OutOfOrderHandOvers_TakenInOrderUpToTheLimit()
    {
        var signal = new InProcessQueueSignal();
        using IQueueSubscription subscription = Started(signal);
        signal.Offer(Entry(7));
        signal.Offer(Entry(5));
        signal.Offer(Entry(6));
        signal.Offer(Entry(4));
        var taken = new List<QueuedDelivery>();

        Assert.True(subscription.TryTakeLive(4, 2, Now, taken));
        Assert.Equal([5L, 6L], taken.Select(d => d.Sequence));
        taken.Clear();
        Assert.True(subscription.TryTakeLive(6, 2, Now, taken));
        Assert.Equal([7L], taken.Select(d => d.Sequence));
    }

    [Fact]
    public void TryTakeLive_Gap_ReadsTheStore()
    {
        var signal = new InProcessQueueSignal();
        using IQueueSubscription subscription = Started(signal);
        signal.Offer(Entry(3));
        var taken = new List<QueuedDelivery>();

        Assert.False(subscription.TryTakeLive(1, 100, Now, taken));
        Assert.Empty(taken);
    }

    [Fact]
    public void TryTakeLive_GapAfterSome_TakesThoseThenReadsTheStore()
    {
        var signal = new InProcessQueueSignal();
        using IQueueSubscription subscription = Started(signal);
        signal.Offer(Entry(1));
        signal.Offer(Entry(3));
        var taken = new List<QueuedDelivery>();

        Assert.True(subscription.TryTakeLive(0, 100, Now, taken));
        Assert.Equal([1L], taken.Select(d => d.Sequence));
        taken.Clear();
        Assert.False(subscription.TryTakeLive(1, 100, Now, taken));
        Assert.Empty(taken);
    }

    [Fact]
    public void TryTakeLive_Expired_ReadsTheStore()
    {
        var signal = new InProcessQueueSignal();
        using IQueueSubscription subscription = Started(signal);
        signal.Offer(Entry(1) with { ExpiresAtMilliseconds = Now });

        Assert.False(subscription.TryTakeLive(0, 100, Now, []));
    }

    [Fact]
    public void TryTakeLive_AfterPlainNotify_ReadsTheStore()
    {
        var signal = new InProcessQueueSignal();
        using IQueueSubscription subscription = Started(signal);
        signal.Offer(Entry(1));
        signal.Notify(s_bob);

        Assert.False(subscription.TryTakeLive(0, 100, Now, []));
    }

    [Fact]
    public void TryTakeLive_MoreThanTheBound_DropsThemAndReadsTheStore()
    {
        var signal = new InProcessQueueSignal();
        using IQueueSubscription subscription = Started(signal);
        for (int i = 1; i <= RelayServerLimits.MaxLiveDeliveriesPerStream + 1; i++)
        {
            signal.Offer(Entry(i));
        }

        Assert.False(subscription.TryTakeLive(0, 100, Now, []));
    }

    [Fact]
    public void Offer_OtherDevice_NotSeen()
    {
        var signal = new InProcessQueueSignal();
        using IQueueSubscription subscription = Started(signal);
        signal.Offer(Entry(1) with { Device = new DeviceAddress("bob", 2) });
        var taken = new List<QueuedDelivery>();

        Assert.True(subscription.TryTakeLive(0, 100, Now, taken));
        Assert.Empty(taken);
    }

    /// <summary>A subscription whose stream has done its first read of the store.</summary>
    private static IQueueSubscription Started(InProcessQueueSignal signal)
    {
        IQueueSubscription subscription = signal.Subscribe(s_bob);
        Assert.False(subscription.TryTakeLive(0, 100, Now, []));
        return subscription;
    }

    private static StoredDelivery Entry(long sequence) => new(s_bob, new QueuedDelivery(sequence, [unchecked((byte)sequence)]), Now + 1);
}
