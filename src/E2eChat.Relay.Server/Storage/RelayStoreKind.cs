namespace E2eChat.Relay.Server.Storage;

/// <summary>Which <see cref="IRelayStore"/> the relay runs on (configuration key <c>Relay:Store</c>).</summary>
internal enum RelayStoreKind
{
    /// <summary>The embedded SQLite file: one node, nothing to install (the default).</summary>
    Sqlite,

    /// <summary>PostgreSQL: several nodes share one database.</summary>
    Postgres,
}
