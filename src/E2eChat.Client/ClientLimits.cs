namespace E2eChat.Client;

/// <summary>Every bound the client keeps, each with the reason for its value.</summary>
public static class ClientLimits
{
    /// <summary>
    /// One-time pre-keys of each kind kept published by default: enough for 100 new contacts to start a
    /// session while the device is offline (libsignal's clients keep 100 as well).
    /// </summary>
    public const int DefaultOneTimePreKeyTarget = 100;

    /// <summary>Refill below this many one-time pre-keys of either kind (a fifth of the target: refills stay rare but never run dry between two connections).</summary>
    public const int DefaultOneTimePreKeyThreshold = 20;

    /// <summary>The relay takes at most 100 one-time keys of each kind per upload (PROTOCOL.md 12.3).</summary>
    public const int MaxOneTimePreKeysPerUpload = 100;

    /// <summary>The relay holds at most 1000 one-time keys of each kind per device (PROTOCOL.md 12.3).</summary>
    public const int MaxOneTimePreKeysHeld = 1000;

    /// <summary>The largest gRPC message either side sends: a full <c>Send</c> batch of 64 envelopes of 64 KiB each, with room to spare (the relay's own bound is the same).</summary>
    public const int MaxRelayMessageBytes = 16 * 1024 * 1024;

    /// <summary>The relay takes at most 64 envelopes per <c>Send</c> call (PROTOCOL.md 12.4).</summary>
    public const int MaxEnvelopesPerSend = 64;

    /// <summary>Attempts of one send (the first and its retries) before it is reported as failed: a short outage is bridged, a dead relay is reported within seconds.</summary>
    public const int DefaultMaxSendAttempts = 5;

    /// <summary>The first retry waits this long; each further one twice as long.</summary>
    public static readonly TimeSpan DefaultRetryDelay = TimeSpan.FromMilliseconds(200);

    /// <summary>No retry or reconnect waits longer than this.</summary>
    public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(5);

    /// <summary>A token is renewed this long before it expires, so a call never starts with a token that expires in flight (relay tokens live 15 minutes).</summary>
    public static readonly TimeSpan TokenRenewalMargin = TimeSpan.FromMinutes(1);

    /// <summary>A new signed pre-key (and last-resort KEM pre-key) is published after this long (Signal rotates weekly to bound what one stolen key opens).</summary>
    public static readonly TimeSpan DefaultSignedPreKeyRotation = TimeSpan.FromDays(7);

    /// <summary>
    /// How long the ids of received messages are remembered for de-duplication: longer than the relay
    /// keeps an unacknowledged message (30 days, PROTOCOL.md 12.4), so no redelivery can outlive them.
    /// </summary>
    public static readonly TimeSpan ReceivedIdRetention = TimeSpan.FromDays(31);
}
