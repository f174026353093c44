namespace E2eChat.Relay.Server.Messaging;

/// <summary>
/// Tells the relay's other nodes that this node opened a receive stream for a device, so that the
/// device's stream on another node ends (PROTOCOL.md 12.4: a newer stream ends the older one). With
/// one node there is no one to tell (<see cref="SingleNodeStreamAnnouncer"/>); with several, the
/// announcement goes through PostgreSQL (<see cref="PostgresQueueSignal"/>) and its order number to
/// <see cref="ReceiveStreamRegistry.Announced"/>.
/// </summary>
internal interface IReceiveStreamAnnouncer
{
    /// <summary>
    /// Announces a stream just registered with <see cref="ReceiveStreamRegistry.Register"/>. A failure to
    /// announce is logged, not thrown: the stream then stays open whatever the other nodes do.
    /// </summary>
    /// <param name="device">The device.</param>
    /// <param name="stream">What <see cref="ReceiveStreamRegistry.Register"/> returned.</param>
    /// <param name="cancellationToken">Ends the stream.</param>
    /// <returns>A task that completes when the announcement was made (or given up).</returns>
    ValueTask AnnounceAsync(DeviceAddress device, CancellationTokenSource stream, CancellationToken cancellationToken);
}
