namespace E2eChat.Relay.Server.Storage;

/// <summary>An account's current device list as the relay stores it.</summary>
/// <param name="AccountKey">The pinned 32-byte account key.</param>
/// <param name="Version">The list's version.</param>
/// <param name="SignedList">The <c>SignedDeviceList</c> bytes, as published.</param>
internal sealed record StoredDeviceList(byte[] AccountKey, ulong Version, byte[] SignedList)
{
    /// <summary>
    /// The version as stored in a signed 64-bit column: the top bit flipped, so that signed order of
    /// the stored values is unsigned order of the versions (every <c>uint64</c> version is valid).
    /// </summary>
    /// <param name="version">The version.</param>
    /// <returns>The column value.</returns>
    internal static long ToColumn(ulong version) => unchecked((long)(version ^ 0x8000_0000_0000_0000UL));

    /// <summary>The inverse of <see cref="ToColumn"/>.</summary>
    /// <param name="column">The column value.</param>
    /// <returns>The version.</returns>
    internal static ulong FromColumn(long column) => unchecked((ulong)column) ^ 0x8000_0000_0000_0000UL;

    /// <summary>
    /// Classifies a publish that changed nothing, against the row stored now (section 14.6).
    /// </summary>
    /// <param name="stored">The stored list.</param>
    /// <param name="accountKey">The key of the list offered.</param>
    /// <param name="signedList">The list offered.</param>
    /// <returns>Why it was not stored.</returns>
    internal static DeviceListOutcome Refusal(StoredDeviceList stored, ReadOnlySpan<byte> accountKey, ReadOnlySpan<byte> signedList)
    {
        ArgumentNullException.ThrowIfNull(stored);
        if (!stored.AccountKey.AsSpan().SequenceEqual(accountKey))
        {
            return DeviceListOutcome.AccountKeyMismatch;
        }

        return stored.SignedList.AsSpan().SequenceEqual(signedList) ? DeviceListOutcome.Unchanged : DeviceListOutcome.VersionRollback;
    }
}
