using WireLimits = E2eChat.Wire.WireLimits;
using PublicKeyEncoding = E2eChat.Wire.PublicKeyEncoding;

namespace E2eChat.Relay.Server;

/// <summary>
/// Every bound of the reference relay, each with its reason. Wire lengths come from the keyless
/// relay library (PROTOCOL.md section 9); the operational defaults here can be changed in
/// configuration (<see cref="RelayOptions"/>) where an operator may need to.
/// </summary>
internal static class RelayServerLimits
{
    /// <summary>The largest envelope (PROTOCOL.md section 9; Signal's server refuses larger device messages).</summary>
    internal const int MaxEnvelopeLength = WireLimits.MaxEnvelopeLength;

    /// <summary>
    /// Read-apply-save rounds of one SubmitConsent before answering StaleSerial: a lost compare-and-swap
    /// means another record of the pair was applied, so a few rounds settle every honest race.
    /// </summary>
    internal const int MaxConsentSaveAttempts = 8;

    /// <summary>The longest account name.</summary>
    internal const int MaxNameLength = WireLimits.MaxNameLength;

    /// <summary>The largest device id (ids are 1 to 255).</summary>
    internal const int MaxDeviceId = (int)WireLimits.MaxDeviceId;

    /// <summary>The length of a message id.</summary>
    internal const int MessageIdLength = WireLimits.MessageIdLength;

    /// <summary>The length of a public identity (PROTOCOL.md section 3.1).</summary>
    internal const int IdentityKeyLength = WireLimits.IdentityKeyLength;

    /// <summary>The length of an Ed25519 signature.</summary>
    internal const int SignatureLength = WireLimits.SignatureLength;

    /// <summary>The length of an X25519 public key.</summary>
    internal const int X25519KeyLength = PublicKeyEncoding.X25519Length;

    /// <summary>The length of an ML-KEM-768 encapsulation key (FIPS 203).</summary>
    internal const int KemPublicKeyLength = PublicKeyEncoding.KemLength;

    /// <summary>
    /// How long a challenge can be answered: a round trip on a slow mobile network takes seconds, and a
    /// captured challenge is worthless a minute later.
    /// </summary>
    internal static readonly TimeSpan ChallengeLifetime = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The default token lifetime: short, so a stolen token is useful briefly and a device that is
    /// removed loses access soon; a device signs a new challenge four times an hour at most. A receive
    /// stream opened with a valid token stays open (as Signal's authenticated websocket does).
    /// </summary>
    internal static readonly TimeSpan DefaultTokenLifetime = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Verified tokens a node remembers (<c>TokenIssuer</c>), so a device's calls after the first skip the
    /// HMAC: a few hundred bytes each, so at most about 16 MiB; more devices than this within one token
    /// lifetime only cost a verification again (the cache is emptied when full).
    /// </summary>
    internal const int MaxCachedTokens = 65_536;

    /// <summary>
    /// The most envelopes in one <c>Send</c>: a message fanned out to every device of a business's
    /// support team plus the sender's own sync copies fits; larger sets are sent in several calls.
    /// </summary>
    internal const int MaxBatchEnvelopes = 64;

    /// <summary>
    /// The most queued writes one SQLite group commit runs (each in its own savepoint): enough to fold
    /// the sends and acknowledgements of a few hundred busy connections into one WAL sync, small enough
    /// that one transaction (at most this many batches of <see cref="MaxBatchEnvelopes"/>) stays short.
    /// </summary>
    internal const int MaxGroupCommitWrites = 256;

    /// <summary>
    /// The most idle SQLite read connections kept open (each with its prepared statements): more than
    /// the reads a 2-8 core node runs at once, so a busy node reuses them; a burst beyond opens and
    /// closes extra ones.
    /// </summary>
    internal const int MaxIdleSqliteReadConnections = 16;

    /// <summary>
    /// The largest request the server reads: a full batch of the largest envelopes plus protobuf
    /// framing (5 bytes per envelope at most) and slack for the rest of the message.
    /// </summary>
    internal const int MaxRequestBytes = (MaxBatchEnvelopes * (MaxEnvelopeLength + 8)) + 64 * 1024;

    /// <summary>
    /// The most devices one post reaches in one call: Signal's groups stop at 1,000 members; a
    /// business's broadcast audience larger than this posts the same envelope in several calls.
    /// </summary>
    internal const int MaxAudience = 4096;

    /// <summary>The most one-time pre-keys of one kind in one upload (Signal's clients upload 100 at a time).</summary>
    internal const int MaxOneTimePreKeysPerUpload = 100;

    /// <summary>
    /// The most one-time pre-keys of one kind the relay holds for a device: ten uploads; bounds what an
    /// account can make the relay store.
    /// </summary>
    internal const int MaxStoredOneTimePreKeys = 1000;

    /// <summary>
    /// The default bound on a device's queue: at most this many undelivered messages; older ones are
    /// trimmed (with a notice) so one absent device cannot make the relay store without bound.
    /// </summary>
    internal const int DefaultMaxQueueLength = 10_000;

    /// <summary>How long an undelivered message is kept (Signal's server keeps them 30 days).</summary>
    internal static readonly TimeSpan DefaultMessageLifetime = TimeSpan.FromDays(30);

    /// <summary>
    /// The longest a post with a signed expiry is kept: status posts expire 24 hours after they are made
    /// (PROTOCOL.md section 7, <c>StatusLifetimeMilliseconds</c>), so a later expiry is clamped.
    /// </summary>
    internal static readonly TimeSpan MaxPostLifetime = TimeSpan.FromHours(24);

    /// <summary>The default token-bucket burst per sending device and recipient account (Signal: 60 messages).</summary>
    internal const int DefaultRateLimitBurst = 60;

    /// <summary>The default token refill per second per sending device and recipient account (Signal: 1 per second).</summary>
    internal const double DefaultRateLimitPerSecond = 1.0;

    /// <summary>
    /// Rate-limit buckets kept in memory before idle (full) ones are dropped: a full bucket is the same
    /// as no bucket, so dropping it loses nothing, and memory stays bounded.
    /// </summary>
    internal const int MaxTrackedRateBuckets = 100_000;

    /// <summary>Deliveries read from the store per query by a receive stream.</summary>
    internal const int ReceivePageSize = 100;

    /// <summary>
    /// Deliveries a receive stream sends before it waits for acknowledgements: bounds the memory and
    /// the redelivery work of one stream, and keeps a slow device from holding the whole queue.
    /// </summary>
    internal const int MaxUnacknowledgedPerStream = 256;

    /// <summary>
    /// Committed entries a receive stream holds in memory to send without reading them back: as many
    /// as it may have unacknowledged, so a stream that keeps up never reads its queue; beyond that it
    /// drops them and reads the store (they are all there), so a stalled stream holds little memory.
    /// </summary>
    internal const int MaxLiveDeliveriesPerStream = MaxUnacknowledgedPerStream;

    /// <summary>
    /// How often an idle receive stream re-reads its queue even without a wake-up: a missed signal
    /// (another node's write, a lost notification) delays a message by at most this long.
    /// </summary>
    internal static readonly TimeSpan DefaultCatchUpInterval = TimeSpan.FromSeconds(30);

    /// <summary>How often expired messages, dedup records and used challenges are deleted.</summary>
    internal static readonly TimeSpan DefaultSweepInterval = TimeSpan.FromMinutes(1);

    /// <summary>The longest usage range one query returns (a year of days).</summary>
    internal const int MaxUsageDays = 366;

    /// <summary>Milliseconds in a UTC day, for the metering ledger's day key.</summary>
    internal const long MillisecondsPerDay = 86_400_000;

    /// <summary>
    /// Statements Npgsql prepares per PostgreSQL connection: the store runs a few dozen distinct ones,
    /// so all stay prepared (parsed and planned once per connection, as a server-side prepared statement).
    /// </summary>
    internal const int PostgresAutoPrepareStatements = 64;

    /// <summary>
    /// The most attempts of one PostgreSQL store operation when attempts fail transiently (a lost
    /// connection, a restarting server, a deadlock): enough to ride out a fast restart, few enough that
    /// a database that is gone fails the call within <see cref="PostgresRetryBudget"/>.
    /// </summary>
    internal const int PostgresMaxAttempts = 12;

    /// <summary>
    /// How long a PostgreSQL store operation keeps retrying: a restart (crash recovery of a small
    /// database) takes seconds; a client's own deadline is usually longer, and it retries the call.
    /// </summary>
    internal static readonly TimeSpan PostgresRetryBudget = TimeSpan.FromSeconds(20);

    /// <summary>The first pause before a retry (doubled each time): a deadlock clears at once, a restart takes longer.</summary>
    internal const int PostgresRetryFirstDelayMilliseconds = 25;

    /// <summary>The longest pause between two retries.</summary>
    internal const int PostgresRetryMaxDelayMilliseconds = 2_000;

    /// <summary>
    /// The advisory lock key (any fixed 64-bit number; here the ASCII of "e2erelay") under which nodes
    /// create and migrate relay schemas, so several nodes starting at once migrate one at a time.
    /// </summary>
    internal const long PostgresMigrationLockKey = 0x6532_6572_656c_6179;

    /// <summary>
    /// Queue notifications waiting to be sent to PostgreSQL on one node; beyond this (only while the
    /// database does not answer) new ones are dropped: they are hints, and streams catch up anyway.
    /// </summary>
    internal const int PostgresPendingNotifications = 65_536;

    /// <summary>
    /// Random bytes of a node's id in its receive stream announcements, which tell a node its own:
    /// 128 bits, like a random GUID, so two nodes never draw the same id (and a restarted node is new).
    /// </summary>
    internal const int PostgresNodeIdBytes = 16;

    /// <summary>Notifications sent in one statement (the devices of many batches, deduplicated).</summary>
    internal const int PostgresNotificationsPerStatement = 512;

    /// <summary>
    /// How long the notification listener waits quietly before it checks its connection with a query:
    /// a connection lost without a reset would otherwise leave the node deaf (the catch-up still works).
    /// </summary>
    internal static readonly TimeSpan PostgresListenerPing = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Points per shard on the consistent-hash ring: with 128 the largest of a few shards holds within
    /// about 10% of its fair share of accounts (the usual figure for 100 to 200 virtual nodes).
    /// </summary>
    internal const int ShardVirtualNodes = 128;
}
