namespace E2eChat;

/// <summary>
/// Section 14.2: whether a client that stores <c>current</c> (or nothing) for an account accepts
/// <c>next</c>, and which entries it adds and removes. Pure: the caller stores the result.
/// </summary>
internal static class DeviceListRules
{
    /// <summary>Checks steps 1-5 of section 14.2 (the key pin is <paramref name="current"/>'s key).</summary>
    /// <param name="account">The account asked for.</param>
    /// <param name="current">The stored list, or null on first use.</param>
    /// <param name="next">The verified list received.</param>
    /// <param name="added">Entries of <paramref name="next"/> that are new (by device and identity).</param>
    /// <param name="removed">Entries of <paramref name="current"/> that are gone.</param>
    /// <returns>The failure, or <see cref="E2eChatFailure.None"/> when <paramref name="next"/> is to be stored.</returns>
    internal static E2eChatFailure Check(string account, SignedDeviceList? current, SignedDeviceList next, out IReadOnlyList<DeviceEntry> added, out IReadOnlyList<DeviceEntry> removed)
    {
        added = [];
        removed = [];
        if (next.List.Account != account)
        {
            return E2eChatFailure.WrongAccount;
        }

        if (current is null)
        {
            added = next.List.Devices;
            return E2eChatFailure.None;
        }

        if (!current.AccountKey.Equals(next.AccountKey))
        {
            return E2eChatFailure.AccountKeyMismatch;
        }

        if (current.List.Kind != next.List.Kind)
        {
            return E2eChatFailure.AccountKindMismatch;
        }

        if (next.List.Version < current.List.Version || (next.List.Version == current.List.Version && !next.SameBytes(current)))
        {
            return E2eChatFailure.VersionRollback;
        }

        if (next.List.Version == current.List.Version)
        {
            return E2eChatFailure.None;
        }

        added = [.. next.List.Devices.Where(d => !Contains(current.List, d))];
        removed = [.. current.List.Devices.Where(d => !Contains(next.List, d))];
        return E2eChatFailure.None;
    }

    private static bool Contains(DeviceList list, DeviceEntry entry) => list.Find(entry.Device) is { } found && found.Identity == entry.Identity;
}
