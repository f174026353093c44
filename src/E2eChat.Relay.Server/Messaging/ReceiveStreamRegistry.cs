using System.Collections.Concurrent;

namespace E2eChat.Relay.Server.Messaging;

/// <summary>
/// One receive stream per device on this node: a newer stream ends the older one (a reconnecting
/// device must not leave a half-dead stream holding its window).
/// </summary>
internal sealed class ReceiveStreamRegistry
{
    private readonly ConcurrentDictionary<DeviceAddress, CancellationTokenSource> _streams = new();

    /// <summary>How many streams are open.</summary>
    internal int Count => _streams.Count;

    /// <summary>Registers a stream, replacing (and cancelling) the device's previous one.</summary>
    /// <param name="device">The device.</param>
    /// <returns>The stream's replacement signal; pass it to <see cref="Unregister"/> at the end.</returns>
    internal CancellationTokenSource Register(DeviceAddress device)
    {
        var source = new CancellationTokenSource();
        CancellationTokenSource? previous = null;
        _streams.AddOrUpdate(device, source, (_, existing) =>
        {
            previous = existing;
            return source;
        });
        try
        {
            previous?.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The previous stream already ended.
        }

        return source;
    }

    /// <summary>Removes the stream if it is still the device's current one, and disposes its signal.</summary>
    /// <param name="device">The device.</param>
    /// <param name="source">What <see cref="Register"/> returned.</param>
    internal void Unregister(DeviceAddress device, CancellationTokenSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        _streams.TryRemove(new KeyValuePair<DeviceAddress, CancellationTokenSource>(device, source));
        source.Dispose();
    }
}
