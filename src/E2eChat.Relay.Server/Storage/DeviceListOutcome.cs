namespace E2eChat.Relay.Server.Storage;

/// <summary>The outcome of <see cref="IDeviceListStore.PublishDeviceListAsync"/>.</summary>
internal enum DeviceListOutcome
{
    /// <summary>Stored: the account's first list (its key now pinned), or a newer version under the pinned key.</summary>
    Published = 1,

    /// <summary>The stored list is byte-identical (a repeat); nothing changed.</summary>
    Unchanged = 2,

    /// <summary>Signed by another account key than the one pinned; nothing changed.</summary>
    AccountKeyMismatch = 3,

    /// <summary>A version not above the stored one (and not a byte-identical repeat); nothing changed.</summary>
    VersionRollback = 4,
}
