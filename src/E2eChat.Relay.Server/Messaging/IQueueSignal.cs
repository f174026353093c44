
namespace E2eChat.Relay.Server.Messaging;

/// <summary>
/// Wakes receive streams when their device's queue changes. In process for SQLite
/// (<see cref="InProcessQueueSignal"/>); with several nodes, PostgreSQL's LISTEN/NOTIFY feeds the same
/// subscriptions, and each stream also re-reads its queue every catch-up interval in case a signal is lost.
/// </summary>
internal interface IQueueSignal
{
    /// <summary>Tells the device's streams that its queue has new messages (after the commit).</summary>
    /// <param name="device">The device.</param>
    void Notify(DeviceAddress device);

    /// <summary>
    /// Hands a committed queue entry to the device's streams on this node, which may send it from memory
    /// (it stays in the store until acknowledged), and wakes them. A signal that cannot hand it over
    /// treats it as <see cref="Notify"/>.
    /// </summary>
    /// <param name="delivery">The committed entry.</param>
    void Offer(StoredDelivery delivery);

    /// <summary>Subscribes to a device's signals; dispose to unsubscribe.</summary>
    /// <param name="device">The device.</param>
    /// <returns>The subscription.</returns>
    IQueueSubscription Subscribe(DeviceAddress device);
}
