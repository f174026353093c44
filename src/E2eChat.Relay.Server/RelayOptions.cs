
namespace E2eChat.Relay.Server;

/// <summary>The relay's configuration (section <c>Relay</c>); see README "Relay" for each key.</summary>
internal sealed class RelayOptions
{
    /// <summary>The configuration section.</summary>
    internal const string SectionName = "Relay";

    /// <summary>The local address and port to listen on (HTTP/2 without TLS), e.g. <c>127.0.0.1:5080</c>; port 0 picks a free one.</summary>
    public string Listen { get; set; } = "127.0.0.1:5080";

    /// <summary>Which store keeps the relay's state: <see cref="RelayStoreKind.Sqlite"/> (one node) or <see cref="RelayStoreKind.Postgres"/> (several nodes over one database).</summary>
    public RelayStoreKind Store { get; set; } = RelayStoreKind.Sqlite;

    /// <summary>The Npgsql connection string of the PostgreSQL database (with <see cref="RelayStoreKind.Postgres"/>).</summary>
    public string? PostgresConnectionString { get; set; }

    /// <summary>
    /// Several databases instead of <see cref="PostgresConnectionString"/>: accounts are spread over them
    /// by a consistent hash (<c>ShardMap</c>). Their order is their identity: append, never reorder.
    /// </summary>
    public List<string> PostgresShards { get; } = [];

    /// <summary>The PostgreSQL schema holding the relay's tables (created if missing): every node of one relay names the same.</summary>
    public string PostgresSchema { get; set; } = "e2echat_relay";

    /// <summary>Where the SQLite database lives (created if missing; relative to the working directory).</summary>
    public string DataDirectory { get; set; } = "relay-data";

    /// <summary>
    /// SQLite's <c>synchronous</c> setting, the relay's durability (the database is in WAL mode). <c>Full</c>
    /// (the default) syncs the log at every commit, so nothing acknowledged to a sender is lost even on
    /// power loss or an operating-system crash. <c>Normal</c> syncs only at checkpoints: nothing
    /// acknowledged is lost when the relay process crashes or is killed, but the last commits before a
    /// power loss or OS crash can be (senders were told "accepted"; those messages are gone). <c>Normal</c>
    /// saves one disk flush per group commit (6-8 ms on a busy shared disk; see README "Relay").
    /// </summary>
    public string SqliteSynchronous { get; set; } = "Full";

    /// <summary>The relay's name, signed by devices when they authenticate (PROTOCOL.md 12.1).</summary>
    public string RelayId { get; set; } = "e2echat-relay";

    /// <summary>
    /// Optional base64 32-byte server secret for tokens and challenges. When empty, one is generated and
    /// kept in the database, so every node over one database shares it.
    /// </summary>
    public string? ServerSecret { get; set; }

    /// <summary>How long a token is valid.</summary>
    public TimeSpan TokenLifetime { get; set; } = RelayServerLimits.DefaultTokenLifetime;

    /// <summary>The bound on each device's queue.</summary>
    public int MaxQueueLength { get; set; } = RelayServerLimits.DefaultMaxQueueLength;

    /// <summary>How long an undelivered message is kept.</summary>
    public TimeSpan MessageLifetime { get; set; } = RelayServerLimits.DefaultMessageLifetime;

    /// <summary>Token-bucket burst per sending device and recipient account.</summary>
    public int RateLimitBurst { get; set; } = RelayServerLimits.DefaultRateLimitBurst;

    /// <summary>Token-bucket refill per second per sending device and recipient account.</summary>
    public double RateLimitPerSecond { get; set; } = RelayServerLimits.DefaultRateLimitPerSecond;

    /// <summary>How often an idle receive stream re-reads its queue without a wake-up.</summary>
    public TimeSpan CatchUpInterval { get; set; } = RelayServerLimits.DefaultCatchUpInterval;

    /// <summary>How often expired data is deleted.</summary>
    public TimeSpan SweepInterval { get; set; } = RelayServerLimits.DefaultSweepInterval;

    /// <summary>HTTP/2 streams allowed per client connection (each open receive stream is one).</summary>
    public int MaxStreamsPerConnection { get; set; } = 100;

    /// <summary>The currency of the rate card.</summary>
    public string Currency { get; set; } = "USD";

    /// <summary>Price per billed message by category, in millionths of <see cref="Currency"/>.</summary>
    public Dictionary<string, long> RateCard { get; } = new(StringComparer.Ordinal);
}
