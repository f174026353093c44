namespace E2eChat.Relay.Server.Storage;

/// <summary>
/// Each account's signed device list (PROTOCOL.md section 14.6): the first list published pins the
/// account key; a later one replaces it only when signed by the same key and with a higher version.
/// The caller has verified the signature and read the list's account and version; the store only
/// compares keys and versions, atomically.
/// </summary>
internal interface IDeviceListStore
{
    /// <summary>
    /// Stores <paramref name="signedList"/> as <paramref name="account"/>'s list when no list is stored
    /// (pinning <paramref name="accountKey"/>), or when the stored one has the same account key and a
    /// lower version; in one statement, so two concurrent publishers cannot both win.
    /// </summary>
    /// <param name="account">The account the list is for.</param>
    /// <param name="accountKey">The 32-byte account key that signed it.</param>
    /// <param name="version">The list's version (1 or more).</param>
    /// <param name="signedList">The <c>SignedDeviceList</c> bytes.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>What happened; nothing changes unless <see cref="DeviceListOutcome.Published"/>.</returns>
    ValueTask<DeviceListOutcome> PublishDeviceListAsync(string account, byte[] accountKey, ulong version, byte[] signedList, CancellationToken cancellationToken);

    /// <summary>The account's current list.</summary>
    /// <param name="account">The account.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The list, or <see langword="null"/> when the account published none.</returns>
    ValueTask<StoredDeviceList?> GetDeviceListAsync(string account, CancellationToken cancellationToken);

    /// <summary>
    /// The account key pinned for <paramref name="account"/> by its first published device list (for
    /// checking records the account signs, such as consent records).
    /// </summary>
    /// <param name="account">The account.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The 32-byte key, or <see langword="null"/> when the account published no device list.</returns>
    ValueTask<byte[]?> GetAccountKeyAsync(string account, CancellationToken cancellationToken);
}
