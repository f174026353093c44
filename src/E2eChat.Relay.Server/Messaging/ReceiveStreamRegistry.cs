namespace E2eChat.Relay.Server.Messaging;

/// <summary>
/// One receive stream per device: on this node a newer stream ends the older one at once (a
/// reconnecting device must not leave a half-dead stream holding its window); across nodes each stream
/// is announced (<see cref="IReceiveStreamAnnouncer"/>) with an order number from the database, and a
/// node ends its stream for a device when another node announces a higher number for it.
/// </summary>
/// <remarks>
/// The rule across nodes: a node's claim on a device is the highest order number the database gave any
/// of this node's announcements for it while the node has held a stream for it (an older stream of
/// this node that was replaced here may have got a higher number than its successor: the successor
/// inherits it, so the node's streams never lose to a number they outrank). The node's current stream
/// ends, as replaced, once it has its own number and another node has announced a number above the
/// claim. Each number is taken after the stream is registered here, so a stream that registers later
/// anywhere gets a higher number than every announcement made before it: of overlapping streams
/// exactly the one with the highest number survives, however close together they opened. A stream
/// whose announcement failed, or an announcement this node never heard (its listener was
/// reconnecting), leaves both streams open, as if the nodes were separate relays: the client handles
/// what both send as redeliveries.
/// </remarks>
internal sealed class ReceiveStreamRegistry
{
    private readonly Lock _gate = new();
    private readonly Dictionary<DeviceAddress, DeviceStreams> _streams = [];

    /// <summary>How many devices have a stream open.</summary>
    internal int Count
    {
        get
        {
            lock (_gate)
            {
                return _streams.Count;
            }
        }
    }

    /// <summary>Registers a stream, replacing (and cancelling) the device's previous one on this node.</summary>
    /// <param name="device">The device.</param>
    /// <returns>The stream's replacement signal; pass it to <see cref="Unregister"/> at the end.</returns>
    internal CancellationTokenSource Register(DeviceAddress device)
    {
        var source = new CancellationTokenSource();
        CancellationTokenSource? previous;
        lock (_gate)
        {
            if (!_streams.TryGetValue(device, out DeviceStreams? streams))
            {
                streams = new DeviceStreams();
                _streams.Add(device, streams);
            }

            previous = streams.Current;
            streams.Current = source;
            streams.CurrentAnnounced = false;
        }

        End(previous);
        return source;
    }

    /// <summary>
    /// Records the order number the database gave this node's announcement of a stream, and ends the
    /// device's current stream here if another node has already announced a higher one.
    /// </summary>
    /// <param name="device">The device.</param>
    /// <param name="source">What <see cref="Register"/> returned for the announced stream.</param>
    /// <param name="order">The announcement's number.</param>
    /// <returns>Whether a stream was ended.</returns>
    internal bool Announced(DeviceAddress device, CancellationTokenSource source, long order)
    {
        CancellationTokenSource? outranked;
        lock (_gate)
        {
            if (!_streams.TryGetValue(device, out DeviceStreams? streams))
            {
                return false;
            }

            streams.Claim = Math.Max(streams.Claim, order);
            streams.CurrentAnnounced |= ReferenceEquals(streams.Current, source);
            outranked = streams.Outranked();
        }

        return End(outranked);
    }

    /// <summary>Handles another node's announcement: ends this node's stream for the device if the announced one outranks it.</summary>
    /// <param name="device">The device.</param>
    /// <param name="order">The announcement's number.</param>
    /// <returns>Whether a stream was ended.</returns>
    internal bool AnnouncedElsewhere(DeviceAddress device, long order)
    {
        CancellationTokenSource? outranked;
        lock (_gate)
        {
            if (!_streams.TryGetValue(device, out DeviceStreams? streams))
            {
                // No stream here: any stream registered here later gets a higher number.
                return false;
            }

            streams.Elsewhere = Math.Max(streams.Elsewhere, order);
            outranked = streams.Outranked();
        }

        return End(outranked);
    }

    /// <summary>Removes the stream if it is still the device's current one, and disposes its signal.</summary>
    /// <param name="device">The device.</param>
    /// <param name="source">What <see cref="Register"/> returned.</param>
    internal void Unregister(DeviceAddress device, CancellationTokenSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        lock (_gate)
        {
            if (_streams.TryGetValue(device, out DeviceStreams? streams) && ReferenceEquals(streams.Current, source))
            {
                _streams.Remove(device);
            }
        }

        source.Dispose();
    }

    /// <summary>Cancels a stream's replacement signal (outside the lock: cancellation runs the stream's callbacks).</summary>
    private static bool End(CancellationTokenSource? source)
    {
        if (source is null)
        {
            return false;
        }

        try
        {
            source.Cancel();
            return true;
        }
        catch (ObjectDisposedException)
        {
            // The stream already ended.
            return false;
        }
    }

    /// <summary>What this node knows of one device's streams while it holds one.</summary>
    private sealed class DeviceStreams
    {
        /// <summary>The device's stream on this node.</summary>
        internal CancellationTokenSource? Current { get; set; }

        /// <summary>Whether <see cref="Current"/> has its own order number (until then it cannot be outranked).</summary>
        internal bool CurrentAnnounced { get; set; }

        /// <summary>The highest number the database gave this node's announcements for the device.</summary>
        internal long Claim { get; set; } = long.MinValue;

        /// <summary>The highest number other nodes announced for the device.</summary>
        internal long Elsewhere { get; set; } = long.MinValue;

        /// <summary>The current stream, if another node's announcement outranks this node's claim.</summary>
        internal CancellationTokenSource? Outranked() =>
            CurrentAnnounced && Elsewhere > Claim && Current is { IsCancellationRequested: false } ? Current : null;
    }
}
