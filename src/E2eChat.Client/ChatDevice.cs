using E2eChat.Relay.Server.Api;
using E2eChat.Storage.Sqlite;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using AccountKind = E2eChat.Wire.AccountKind;

namespace E2eChat.Client;

/// <summary>
/// One device of a chat app over the E2eChat relay's gRPC API: it signs in with its identity key
/// (registering on first use) and renews its token, keeps its pre-keys published and topped up, sends
/// messages with stable ids and bounded retries, and receives as typed events
/// (<see cref="ReceiveAsync"/>) that are decrypted, de-duplicated and acknowledged to the relay only
/// after they are committed. Its keys and sessions live in a <see cref="SqliteProtocolStore"/>
/// (sealed at rest under the app's storage key) in <see cref="ChatDeviceOptions.DataDirectory"/>, so a
/// restarted device continues every conversation.
/// </summary>
/// <remarks>
/// Sending and receiving may run concurrently; run one <see cref="ReceiveAsync"/> at a time (the relay
/// keeps one stream per device). A received message's session change and an inbox entry holding its
/// plaintext commit in one transaction; the message id is recorded as received just before the event is
/// handed over (the entry is removed with the next receive transaction), and the relay is acknowledged
/// after that. So a process killed at any point neither loses a committed message (the entry is handed
/// over on restart) nor shows one twice (its redelivery is recognized). What remains is the moment
/// between that record and the application storing the event: the application should keep what it is
/// handed before asking for the next event.
/// </remarks>
public sealed partial class ChatDevice : IAsyncDisposable
{
    /// <summary>The protocol store's file in the data directory.</summary>
    public const string ProtocolStoreFileName = "protocol.db";

    /// <summary>The client state's file in the data directory.</summary>
    public const string ClientStateFileName = "client.db";

    /// <summary>The groups' and status posts' file in the data directory.</summary>
    public const string GroupStateFileName = "groups.db";

    /// <summary>SQLite's name for a private database in memory (one per connection, gone when it closes).</summary>
    private const string InMemoryDatabase = ":memory:";

    private readonly ChatDeviceOptions _options;
    private readonly SqliteProtocolStore _store;
    private readonly ClientStateStore _state;
    private readonly GroupStateStore _groups;
    private readonly SessionManager _sessions;
    private readonly IdentityKeyPair _identity;
    private readonly GrpcChannel _channel;
    private readonly Relay.Server.Api.Auth.AuthClient _auth;
    private readonly Relay.Server.Api.Keys.KeysClient _keys;
    private readonly Messaging.MessagingClient _messaging;
    private readonly Billing.BillingClient _billing;
    private readonly Relay.Server.Api.Accounts.AccountsClient _accountsApi;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _authGate = new(1, 1);
    private readonly SemaphoreSlim _preKeyGate = new(1, 1);
    private static readonly DateOnly s_epoch = new(1970, 1, 1);
    private string? _token;
    private DateTimeOffset _tokenExpiresAt;
    private long _duplicatesIgnored;
    private bool _disposed;

    private ChatDevice(ChatDeviceOptions options, SqliteProtocolStore store, ClientStateStore state, GroupStateStore groups, IdentityKeyPair identity, ILogger logger, TimeProvider time)
    {
        _options = options;
        _store = store;
        _state = state;
        _groups = groups;
        _identity = identity;
        _logger = logger;
        _time = time;
        Address = options.Address;
        Kind = options.Kind;
        _sessions = new SessionManager(store.ToProtocolStores(), Address);
        Accounts = new AccountDirectory(state, store);
        _channel = GrpcChannel.ForAddress(options.RelayAddress!, new GrpcChannelOptions { MaxReceiveMessageSize = ClientLimits.MaxRelayMessageBytes, MaxSendMessageSize = ClientLimits.MaxRelayMessageBytes });
        _auth = new Relay.Server.Api.Auth.AuthClient(_channel);
        _keys = new Relay.Server.Api.Keys.KeysClient(_channel);
        _messaging = new Messaging.MessagingClient(_channel);
        _billing = new Billing.BillingClient(_channel);
        _accountsApi = new Relay.Server.Api.Accounts.AccountsClient(_channel);
        Proofs = options.Kind == AccountKind.Business ? new ConsentProofs(Address.Name, Accounts) : null;
    }

    /// <summary>This device's address.</summary>
    public ProtocolAddress Address { get; }

    /// <summary>This device's account kind.</summary>
    public AccountKind Kind { get; }

    /// <summary>This device's public identity (what contacts compare in safety numbers).</summary>
    public IdentityKey Identity => _identity.PublicKey;

    /// <summary>The session manager over this device's store (for safety numbers, groups and the lower-level API).</summary>
    public SessionManager Sessions => _sessions;

    /// <summary>
    /// The signed device lists this device knows (its own account's and its contacts'), kept in
    /// <c>client.db</c>: apply a list from a contact link or the account's own list here; lists that
    /// contacts send in the chat are applied as they arrive (<see cref="DeviceListChanged"/>).
    /// </summary>
    public AccountDirectory Accounts { get; }

    /// <summary>Deliveries dropped as already received (redeliveries after a lost acknowledgement, replays).</summary>
    public long DuplicatesIgnored => Interlocked.Read(ref _duplicatesIgnored);

    /// <summary>Where the device's time goes (benchmarks).</summary>
    internal ChatDeviceTimings Timings { get; } = new();

    /// <summary>The protocol store (tests: write hooks).</summary>
    internal SqliteProtocolStore ProtocolStore => _store;

    /// <summary>The client state (tests: write hooks).</summary>
    internal ClientStateStore State => _state;

    /// <summary>Test hook: when set and returning <see langword="false"/> for a delivery's sequence, its acknowledgement is not sent (as if lost).</summary>
    internal Func<ulong, bool>? AcknowledgeFilter { get; set; }

    /// <summary>Test hook: when set and returning <see langword="true"/> for a delivery's sequence, it is neither handled nor acknowledged on this stream (as if it arrived later).</summary>
    internal Func<ulong, bool>? DeferFilter { get; set; }

    /// <summary>
    /// Opens the device's state in <see cref="ChatDeviceOptions.DataDirectory"/> (creating it, with a new
    /// identity, on first use). Nothing is sent until <see cref="ConnectAsync"/>.
    /// </summary>
    /// <param name="options">The device's configuration (validated; not changed afterwards).</param>
    /// <param name="storageKey">The 32-byte key sealing the state at rest; keep it in the platform's key store.</param>
    /// <param name="logger">Where to log (never message contents or keys); none by default.</param>
    /// <param name="time">The clock (for tokens, timestamps and retries); the system clock by default.</param>
    /// <returns>The device; dispose it to close its files and connection.</returns>
    /// <exception cref="ArgumentException">An option is out of range, the key is not 32 bytes, or the directory holds another device.</exception>
    /// <exception cref="E2eChatException">The protocol store is refused (wrong storage key, corrupt or newer file).</exception>
    public static ChatDevice Open(ChatDeviceOptions options, ReadOnlySpan<byte> storageKey, ILogger<ChatDevice>? logger = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Directory.CreateDirectory(options.DataDirectory);
        SqliteProtocolStore store = SqliteProtocolStore.Open(options.InMemoryStores ? InMemoryDatabase : Path.Combine(options.DataDirectory, ProtocolStoreFileName), storageKey);
        ClientStateStore? state = null;
        GroupStateStore? groups = null;
        try
        {
            state = ClientStateStore.Open(options.InMemoryStores ? InMemoryDatabase : Path.Combine(options.DataDirectory, ClientStateFileName), storageKey, options.Address, options.Kind);
            groups = GroupStateStore.Open(options.InMemoryStores ? InMemoryDatabase : Path.Combine(options.DataDirectory, GroupStateFileName), storageKey);
            IdentityKeyPair identity = store.GetIdentityKeyPairAsync().AsTask().GetAwaiter().GetResult();
            TimeProvider clock = time ?? TimeProvider.System;
            int forgotten = state.ForgetReceivedBefore((clock.GetUtcNow() - ClientLimits.ReceivedIdRetention).ToUnixTimeMilliseconds());
            var device = new ChatDevice(options, store, state, groups, identity, (ILogger?)logger ?? NullLogger.Instance, clock);
            ClientLog.Opened(device._logger, device.Address, forgotten);
            return device;
        }
        catch
        {
            groups?.Dispose();
            state?.Dispose();
            store.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Signs in (registering the device on first use) and makes sure the relay serves our pre-keys:
    /// publishes a signed pre-key and a last-resort KEM pre-key when there are none or they are due for
    /// rotation, and refills one-time pre-keys below the threshold.
    /// </summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the device can send and receive.</returns>
    /// <exception cref="E2eChatException">With a <see cref="E2eChatFailure"/>.</exception>
    public async Task ConnectAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await GetTokenAsync(forceRenewal: false, cancellationToken).ConfigureAwait(false);
        await RefillPreKeysAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Closes the connection and the device's files.</summary>
    /// <returns>A task that completes when everything is closed.</returns>
    public ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return ValueTask.CompletedTask;
        }

        _disposed = true;
        _channel.Dispose();
        _sessions.Dispose();
        _groups.Dispose();
        _state.Dispose();
        _store.Dispose();
        _groupGate.Dispose();
        _authGate.Dispose();
        _preKeyGate.Dispose();
        ClientLog.Closed(_logger, Address);
        return ValueTask.CompletedTask;
    }

    /// <summary>Names the device only.</summary>
    /// <returns>A description.</returns>
    public override string ToString() => $"ChatDevice({Address}, {Kind})";
}
