namespace E2eChat.Relay.Server.Messaging;

/// <summary>
/// The single-node <see cref="IReceiveStreamAnnouncer"/> (SQLite): there are no other nodes, and
/// <see cref="ReceiveStreamRegistry.Register"/> already ended the device's older stream here.
/// </summary>
internal sealed class SingleNodeStreamAnnouncer : IReceiveStreamAnnouncer
{
    /// <inheritdoc />
    public ValueTask AnnounceAsync(DeviceAddress device, CancellationTokenSource stream, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
