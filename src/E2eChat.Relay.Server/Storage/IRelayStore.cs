namespace E2eChat.Relay.Server.Storage;

/// <summary>
/// Everything the relay keeps, one interface per concern. Every method is atomic. Implementations:
/// SQLite (embedded, the default) and PostgreSQL (several nodes), with the same semantics — dedup
/// and billing keys as unique constraints, claims as single-statement deletes, per-device sequence
/// numbers assigned under the device row's lock. <c>RelayStoreConformanceTests</c> checks them all.
/// </summary>
internal interface IRelayStore : IDeviceStore, IPreKeyStore, IMessageStore, IUsageStore, IConversationStore, IDeviceListStore, ISecurityStore, IAsyncDisposable
{
    /// <summary>Creates or migrates the schema; refuses a database written by a newer version.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    ValueTask InitializeAsync(CancellationToken cancellationToken);

    /// <summary>Runs a trivial query (for health checks).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that fails when the store is unavailable.</returns>
    ValueTask PingAsync(CancellationToken cancellationToken);
}
