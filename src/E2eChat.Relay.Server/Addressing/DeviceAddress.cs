namespace E2eChat.Relay.Server.Addressing;

/// <summary>
/// A device of an account: the account name (1 to 64 bytes of <c>[a-z0-9._-]</c>) and the device id
/// (1 to 255), as in <c>wire.proto</c>'s <c>Address</c> without its kind.
/// </summary>
/// <param name="Name">The account name.</param>
/// <param name="Device">The device id.</param>
internal readonly record struct DeviceAddress(string Name, int Device)
{
    /// <summary>Whether <paramref name="name"/> and <paramref name="device"/> form a valid address.</summary>
    /// <param name="name">The candidate account name.</param>
    /// <param name="device">The candidate device id.</param>
    /// <returns><see langword="true"/> when both are in range.</returns>
    internal static bool IsValid(string? name, long device) =>
        IsValidName(name) && device is >= 1 and <= RelayServerLimits.MaxDeviceId;

    /// <summary>Whether <paramref name="name"/> is 1 to 64 characters of <c>[a-z0-9._-]</c>.</summary>
    /// <param name="name">The candidate account name.</param>
    /// <returns><see langword="true"/> when valid.</returns>
    internal static bool IsValidName(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > RelayServerLimits.MaxNameLength)
        {
            return false;
        }

        foreach (char c in name)
        {
            if (!(c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '.' or '_' or '-'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The address as <c>name.device</c> (public routing data, safe to log).</summary>
    /// <returns>The address.</returns>
    public override string ToString() => $"{Name}.{Device}";
}
