namespace E2eChat;

/// <summary>
/// The accounts a client talks to (PROTOCOL.md section 14.2): per account, the last accepted signed
/// device list, whose account key is the pinned one. Several workers may share one store, so a write
/// is a compare-and-swap on the stored list.
/// </summary>
public interface IAccountStore
{
    /// <summary>The accepted list of <paramref name="account"/>.</summary>
    /// <param name="account">The account name.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The stored list, or <see langword="null"/> when none was accepted.</returns>
    ValueTask<SignedDeviceList?> GetDeviceListAsync(string account, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores <paramref name="replacement"/> for <paramref name="account"/> only if the stored list is still
    /// <paramref name="expected"/> (the same bytes; <see langword="null"/>: none stored), atomically.
    /// </summary>
    /// <param name="account">The account name.</param>
    /// <param name="expected">The list the caller's decision was based on.</param>
    /// <param name="replacement">The list to store.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns><see langword="false"/> when another writer changed the list first (nothing written).</returns>
    ValueTask<bool> TryReplaceDeviceListAsync(string account, SignedDeviceList? expected, SignedDeviceList replacement, CancellationToken cancellationToken = default);
}
