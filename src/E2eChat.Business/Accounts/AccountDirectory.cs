
namespace E2eChat;

/// <summary>
/// A client's view of the accounts it talks to (PROTOCOL.md section 14.2): verifies received device
/// lists, pins each account's key on first use, refuses rollbacks, and trusts the identities an
/// accepted list names (the account key vouches for them). Nothing is stored or trusted on failure.
/// </summary>
public sealed class AccountDirectory
{
    private readonly IAccountStore _accounts;
    private readonly IIdentityStore _identities;

    /// <summary>Creates a directory over the account and identity stores.</summary>
    /// <param name="accounts">Where accepted lists (and so pinned keys) are kept.</param>
    /// <param name="identities">The session layer's identity store, where listed identities are approved.</param>
    public AccountDirectory(IAccountStore accounts, IIdentityStore identities)
    {
        ArgumentNullException.ThrowIfNull(accounts);
        ArgumentNullException.ThrowIfNull(identities);
        _accounts = accounts;
        _identities = identities;
    }

    /// <summary>
    /// Applies a signed list received for <paramref name="account"/> (from the relay or in a
    /// <c>Content.device_list</c>): verifies it (section 14.1), then the rules of section 14.2.
    /// </summary>
    /// <param name="account">The account the list was asked for or came from.</param>
    /// <param name="signedList">The encoded <c>SignedDeviceList</c>.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The outcome; a failure changes nothing.</returns>
    public ValueTask<DeviceListUpdate> ApplyAsync(string account, ReadOnlyMemory<byte> signedList, CancellationToken cancellationToken = default) =>
        ApplyAsync(account, signedList, approveNewKey: false, cancellationToken);

    /// <summary>
    /// Accepts a list signed by a new account key after the application approved the change (for
    /// example after <see cref="E2eChatFailure.AccountKeyMismatch"/> and a check with the business):
    /// the new key is pinned and the list accepted as a first list under it.
    /// </summary>
    /// <param name="account">The account name.</param>
    /// <param name="signedList">The encoded <c>SignedDeviceList</c> under the new key.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The outcome.</returns>
    public ValueTask<DeviceListUpdate> ApproveAccountKeyAsync(string account, ReadOnlyMemory<byte> signedList, CancellationToken cancellationToken = default) =>
        ApplyAsync(account, signedList, approveNewKey: true, cancellationToken);

    /// <summary>The accepted list of <paramref name="account"/>, or null.</summary>
    /// <param name="account">The account name.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The list or null.</returns>
    public async ValueTask<SignedDeviceList?> GetDeviceListAsync(string account, CancellationToken cancellationToken = default) =>
        await _accounts.GetDeviceListAsync(account, cancellationToken).ConfigureAwait(false);

    /// <summary>Who reads messages to <paramref name="account"/> (section 14.3), or null when no list is accepted.</summary>
    /// <param name="account">The account name.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The information or null.</returns>
    public async ValueTask<BusinessInfo?> GetBusinessInfoAsync(string account, CancellationToken cancellationToken = default) =>
        await _accounts.GetDeviceListAsync(account, cancellationToken).ConfigureAwait(false) is { } list ? BusinessInfo.From(list.List) : null;

    /// <summary>
    /// Section 15.3 after the link itself opened (<see cref="SignedContactLink.TryOpen"/>): checks the
    /// device list the key directory returned for the link's account against the key the link pins
    /// (and the key pinned for the account, if any), then applies it. A directory that substitutes a
    /// business's key is caught here, before any session starts.
    /// </summary>
    /// <param name="link">The opened link.</param>
    /// <param name="directoryList">The encoded <c>SignedDeviceList</c> the directory returned.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The failure (nothing stored), or <see cref="E2eChatFailure.None"/> and the accepted update.</returns>
    public async ValueTask<(E2eChatFailure Failure, DeviceListUpdate? Update)> OpenContactLinkAsync(SignedContactLink link, ReadOnlyMemory<byte> directoryList, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(link);
        if (!SignedDeviceList.TryRead(directoryList.Span, out SignedDeviceList? list, out E2eChatFailure failure))
        {
            return (E2eChatFailure.DeviceListRefused, DeviceListUpdate.Refused(failure));
        }

        if (list.List.Account != link.Link.Account)
        {
            return (E2eChatFailure.WrongAccount, null);
        }

        SignedDeviceList? pinned = await _accounts.GetDeviceListAsync(link.Link.Account, cancellationToken).ConfigureAwait(false);
        if (!list.AccountKey.Equals(link.Link.AccountKey) || (pinned is not null && !pinned.AccountKey.Equals(link.Link.AccountKey)))
        {
            return (E2eChatFailure.AccountKeyMismatch, null);
        }

        DeviceListUpdate update = await ApplyAsync(link.Link.Account, directoryList, cancellationToken).ConfigureAwait(false);
        return (update.IsSuccess ? E2eChatFailure.None : E2eChatFailure.DeviceListRefused, update);
    }

    private async ValueTask<DeviceListUpdate> ApplyAsync(string account, ReadOnlyMemory<byte> signedList, bool approveNewKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        if (!SignedDeviceList.TryRead(signedList.Span, out SignedDeviceList? next, out E2eChatFailure failure))
        {
            return DeviceListUpdate.Refused(failure);
        }

        for (int attempt = 0; attempt < ProtocolLimits.MaxCommitAttempts; attempt++)
        {
            SignedDeviceList? current = await _accounts.GetDeviceListAsync(account, cancellationToken).ConfigureAwait(false);
            SignedDeviceList? basis = approveNewKey && current is not null && !current.AccountKey.Equals(next.AccountKey) ? null : current;
            failure = DeviceListRules.Check(account, basis, next, out IReadOnlyList<DeviceEntry> added, out IReadOnlyList<DeviceEntry> removed);
            if (failure != E2eChatFailure.None)
            {
                return DeviceListUpdate.Refused(failure, failure == E2eChatFailure.AccountKeyMismatch ? next : null);
            }

            bool repeat = basis is not null && basis.List.Version == next.List.Version;
            if (!repeat && !await _accounts.TryReplaceDeviceListAsync(account, current, next, cancellationToken).ConfigureAwait(false))
            {
                continue;
            }

            if (basis is null && current is not null)
            {
                // A newly approved key: everything under the old key is gone.
                removed = [.. current.List.Devices.Where(d => next.List.Find(d.Device)?.Identity != d.Identity)];
            }

            await TrustListedIdentitiesAsync(repeat ? basis! : next, cancellationToken).ConfigureAwait(false);
            return DeviceListUpdate.Accepted(repeat ? basis! : next, added, removed);
        }

        throw new InvalidOperationException($"The account store did not accept a write for {account} in {ProtocolLimits.MaxCommitAttempts} attempts.");
    }

    /// <summary>
    /// Approves every listed identity the identity store does not already trust for its address
    /// (after the list is stored, and on every repeat, so a crash in between is repaired).
    /// </summary>
    private async ValueTask TrustListedIdentitiesAsync(SignedDeviceList list, CancellationToken cancellationToken)
    {
        foreach (DeviceEntry entry in list.List.Devices)
        {
            var address = new ProtocolAddress(list.List.Account, entry.Device);
            if (await _identities.GetIdentityAsync(address, cancellationToken).ConfigureAwait(false) != entry.Identity)
            {
                await _identities.ApproveIdentityAsync(address, entry.Identity, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
