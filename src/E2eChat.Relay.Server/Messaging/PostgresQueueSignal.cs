using System.Threading.Channels;
using E2eChat.Relay.Server.Storage.Postgres;
using Npgsql;

namespace E2eChat.Relay.Server.Messaging;

/// <summary>
/// The several-node <see cref="IQueueSignal"/>: a store on any node is announced with PostgreSQL's
/// <c>NOTIFY</c> on the relay's channel, and every node <c>LISTEN</c>s on one dedicated connection and
/// wakes its own streams for the device named. A notification is a wake-up hint only: one lost (a node
/// killed between its commit and its <c>NOTIFY</c>, a listener reconnecting) is made good by each
/// stream's catch-up read every <see cref="RelayOptions.CatchUpInterval"/>, and a listener that
/// (re)connects wakes every local stream once, for what it may have missed.
/// The same channel carries the nodes' receive stream announcements (<see cref="IReceiveStreamAnnouncer"/>),
/// told apart by their payload: a node ends its stream for a device when another node announces a
/// newer one (the rule is <see cref="ReceiveStreamRegistry"/>'s). An announcement lost (a listener
/// reconnecting, the database unreachable when the stream opened) leaves both streams open: each
/// sends the device's queue, and the client treats what both send as redeliveries.
/// </summary>
internal sealed partial class PostgresQueueSignal : BackgroundService, IQueueSignal, IReceiveStreamAnnouncer
{
    /// <summary>What starts a stream announcement's payload; a queue notification's starts with an account name, which has no space.</summary>
    private const string StreamPayloadKind = "stream";

    /// <summary>This node's id in its announcements: it ignores its own (its registry already ordered its streams).</summary>
    private readonly string _node = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(RelayServerLimits.PostgresNodeIdBytes));
    private readonly ReceiveStreamRegistry _streams;
    private readonly InProcessQueueSignal _local = new();
    private readonly ShardedRelayStore _store;
    private readonly ILogger<PostgresQueueSignal> _logger;
    private readonly Channel<DeviceAddress> _outgoing = Channel.CreateBounded<DeviceAddress>(new BoundedChannelOptions(RelayServerLimits.PostgresPendingNotifications)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
        SingleReader = true,
    });

    /// <summary>Creates the signal over the node's store.</summary>
    /// <param name="store">The PostgreSQL store: one listener per shard, each notification to the device's shard.</param>
    /// <param name="streams">The node's receive streams, ended by other nodes' announcements.</param>
    /// <param name="logger">The logger.</param>
    public PostgresQueueSignal(ShardedRelayStore store, ReceiveStreamRegistry streams, ILogger<PostgresQueueSignal> logger)
    {
        _store = store;
        _streams = streams;
        _logger = logger;
    }

    /// <summary>How many shards' listeners are connected and listening (for tests).</summary>
    internal int Listening => Volatile.Read(ref _listening);

    private int _listening;

    /// <inheritdoc />
    public void Notify(DeviceAddress device)
    {
        _local.Notify(device);

        // Full only while the database is unreachable: a dropped hint is made good by the catch-up.
        _outgoing.Writer.TryWrite(device);
    }

    /// <inheritdoc />
    /// <remarks>Other nodes learn of it only through the store, so it is a <see cref="Notify"/>.</remarks>
    public void Offer(StoredDelivery delivery) => Notify(delivery.Device);

    /// <inheritdoc />
    public IQueueSubscription Subscribe(DeviceAddress device) => _local.Subscribe(device);

    /// <inheritdoc />
    /// <remarks>
    /// One notification on the device's shard: <c>stream &lt;node&gt; &lt;number&gt; &lt;name&gt;/&lt;device&gt;</c>,
    /// the number from the database (<see cref="PostgresRelayStore.NotifyNumberedAsync"/>). At most
    /// 7 + 32 + 20 + 64 + 10 + 4 = 137 ASCII bytes, far below NOTIFY's 8000-byte payload limit.
    /// </remarks>
    public async ValueTask AnnounceAsync(DeviceAddress device, CancellationTokenSource stream, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        try
        {
            long order = await _store.For(device.Name).NotifyNumberedAsync(StreamPayloadKind + " " + _node + " ", " " + ToPayload(device), cancellationToken).ConfigureAwait(false);
            _streams.Announced(device, stream, order);
        }
        catch (Exception ex) when (ex is NpgsqlException or IOException or TimeoutException or InvalidOperationException)
        {
            // The database stayed away through the store's retries: this stream cannot be outranked,
            // and the device's stream on another node, if any, stays open too.
            LogAnnounceFailed(_logger, device, ex);
        }
    }

    /// <summary>Parses a stream announcement made by <see cref="AnnounceAsync"/>; anything else is ignored.</summary>
    /// <param name="payload">The payload.</param>
    /// <param name="node">The announcing node's id.</param>
    /// <param name="order">The announcement's number.</param>
    /// <param name="device">The device.</param>
    /// <returns>Whether it was a well-formed announcement.</returns>
    internal static bool TryParseStreamPayload(string? payload, out string node, out long order, out DeviceAddress device)
    {
        node = string.Empty;
        order = 0;
        device = default;
        string[] parts = payload?.Split(' ') ?? [];
        if (parts.Length != 4
            || parts[0] != StreamPayloadKind
            || parts[1].Length == 0
            || !long.TryParse(parts[2], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out order)
            || !TryParsePayload(parts[3], out device))
        {
            return false;
        }

        node = parts[1];
        return true;
    }

    /// <summary>Formats a device as a notification payload: <c>name/device</c> (names never contain '/').</summary>
    /// <param name="device">The device.</param>
    /// <returns>The payload.</returns>
    internal static string ToPayload(DeviceAddress device) => device.Name + "/" + device.Device.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Parses a payload made by <see cref="ToPayload"/>; anything else is ignored.</summary>
    /// <param name="payload">The payload.</param>
    /// <param name="device">The device.</param>
    /// <returns>Whether it named a valid device.</returns>
    internal static bool TryParsePayload(string? payload, out DeviceAddress device)
    {
        device = default;
        int slash = payload?.LastIndexOf('/') ?? -1;
        if (slash <= 0
            || !int.TryParse(payload.AsSpan(slash + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int id)
            || !DeviceAddress.IsValid(payload![..slash], id))
        {
            return false;
        }

        device = new DeviceAddress(payload[..slash], id);
        return true;
    }

    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll([SendAsync(stoppingToken), .. _store.Shards.Select(shard => ListenAsync(shard, stoppingToken))]);

    private async Task SendAsync(CancellationToken stoppingToken)
    {
        var batch = new HashSet<DeviceAddress>();
        try
        {
            while (await _outgoing.Reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                batch.Clear();
                while (batch.Count < RelayServerLimits.PostgresNotificationsPerStatement && _outgoing.Reader.TryRead(out DeviceAddress device))
                {
                    batch.Add(device);
                }

                foreach (IGrouping<PostgresRelayStore, DeviceAddress> shard in batch.GroupBy(d => _store.For(d.Name)))
                {
                    try
                    {
                        await shard.Key.NotifyAsync([.. shard.Select(ToPayload)], stoppingToken).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (ex is NpgsqlException or IOException or TimeoutException or InvalidOperationException)
                    {
                        LogNotifyFailed(_logger, batch.Count, ex);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task ListenAsync(PostgresRelayStore shard, CancellationToken stoppingToken)
    {
        int failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            bool listening = false;
            try
            {
                NpgsqlConnection connection = shard.CreateListenerConnection();
                await using (connection.ConfigureAwait(false))
                {
                    connection.Notification += OnNotification;
                    await connection.OpenAsync(stoppingToken).ConfigureAwait(false);
                    await using (var listen = new NpgsqlCommand($"LISTEN \"{shard.NotificationChannel}\";", connection))
                    {
                        await listen.ExecuteNonQueryAsync(stoppingToken).ConfigureAwait(false);
                    }

                    Interlocked.Increment(ref _listening);
                    listening = true;
                    failures = 0;
                    LogListening(_logger, shard.NotificationChannel);

                    // Whatever was stored while this node was not listening: every stream reads once.
                    _local.WakeAll();
                    while (true)
                    {
                        if (!await connection.WaitAsync(RelayServerLimits.PostgresListenerPing, stoppingToken).ConfigureAwait(false))
                        {
                            // Quiet for a while: make sure the connection is still there.
                            await using var ping = new NpgsqlCommand("SELECT 1;", connection);
                            await ping.ExecuteScalarAsync(stoppingToken).ConfigureAwait(false);
                        }
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or IOException or TimeoutException or InvalidOperationException)
            {
                failures++;
                LogListenerLost(_logger, ex);
                int delay = Math.Min(RelayServerLimits.PostgresRetryFirstDelayMilliseconds << Math.Min(failures, 16), RelayServerLimits.PostgresRetryMaxDelayMilliseconds);
                try
                {
                    await Task.Delay(delay, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
            finally
            {
                if (listening)
                {
                    Interlocked.Decrement(ref _listening);
                }
            }
        }
    }

    private void OnNotification(object sender, NpgsqlNotificationEventArgs e)
    {
        if (TryParsePayload(e.Payload, out DeviceAddress device))
        {
            _local.Notify(device);
        }
        else if (TryParseStreamPayload(e.Payload, out string node, out long order, out device)
            && node != _node
            && _streams.AnnouncedElsewhere(device, order))
        {
            LogStreamReplacedElsewhere(_logger, device);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Listening for queue notifications on channel {Channel}")]
    private static partial void LogListening(ILogger logger, string channel);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queue notification listener lost its connection; reconnecting (streams catch up meanwhile)")]
    private static partial void LogListenerLost(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Receive stream for {Device} replaced by a newer one on another node")]
    private static partial void LogStreamReplacedElsewhere(ILogger logger, DeviceAddress device);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not announce the receive stream of {Device} to the other nodes; a stream of it on another node stays open")]
    private static partial void LogAnnounceFailed(ILogger logger, DeviceAddress device, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not send {Count} queue notifications; the receivers catch up")]
    private static partial void LogNotifyFailed(ILogger logger, int count, Exception exception);
}
