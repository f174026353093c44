using E2eChat.Wire;

namespace E2eChat;

/// <summary>
/// The devices that speak for an account, in one version (PROTOCOL.md section 14), as its owner
/// signs it with <see cref="SignedDeviceList.Sign"/>. Immutable.
/// </summary>
public sealed class DeviceList
{
    /// <summary>The most devices one list names (<c>MaxDevicesPerAccount</c>).</summary>
    public const int MaxDevices = ProtocolLimits.MaxDevicesPerAccount;

    private readonly DeviceEntry[] _devices;

    /// <summary>Creates a list; entries are sorted by device id.</summary>
    /// <param name="account">The account name (section 8 name rule).</param>
    /// <param name="kind">Person or business.</param>
    /// <param name="version">The version, at least 1, higher than every earlier list's.</param>
    /// <param name="issuedAtMs">When it was issued (milliseconds since the Unix epoch), nonzero.</param>
    /// <param name="devices">1-64 entries with distinct device ids.</param>
    /// <exception cref="ArgumentException">An argument breaks a rule of section 14.1.</exception>
    public DeviceList(string account, AccountKind kind, ulong version, ulong issuedAtMs, IEnumerable<DeviceEntry> devices)
    {
        ArgumentNullException.ThrowIfNull(devices);
        if (!ProtocolAddress.IsValidName(account))
        {
            throw new ArgumentException("Not a valid account name.", nameof(account));
        }

        if (kind is not (AccountKind.Person or AccountKind.Business))
        {
            throw new ArgumentOutOfRangeException(nameof(kind));
        }

        ArgumentOutOfRangeException.ThrowIfZero(version);
        ArgumentOutOfRangeException.ThrowIfZero(issuedAtMs);
        DeviceEntry[] sorted = [.. devices.OrderBy(d => d.Device)];
        if (sorted.Length is 0 or > MaxDevices)
        {
            throw new ArgumentException($"A list names 1-{MaxDevices} devices.", nameof(devices));
        }

        for (int i = 1; i < sorted.Length; i++)
        {
            if (sorted[i].Device == sorted[i - 1].Device)
            {
                throw new ArgumentException($"Device {sorted[i].Device} is listed twice.", nameof(devices));
            }
        }

        Account = account;
        Kind = kind;
        Version = version;
        IssuedAtMs = issuedAtMs;
        _devices = sorted;
    }

    /// <summary>The account name.</summary>
    public string Account { get; }

    /// <summary>Person or business.</summary>
    public AccountKind Kind { get; }

    /// <summary>The version.</summary>
    public ulong Version { get; }

    /// <summary>When the list was issued, milliseconds since the Unix epoch.</summary>
    public ulong IssuedAtMs { get; }

    /// <summary>The devices, in ascending device order.</summary>
    public IReadOnlyList<DeviceEntry> Devices => _devices;

    /// <summary>The entry for <paramref name="device"/>, or null.</summary>
    /// <param name="device">A device id.</param>
    /// <returns>The entry or null.</returns>
    public DeviceEntry? Find(uint device) => Array.Find(_devices, d => d.Device == device);

    /// <summary>Describes the list (public data).</summary>
    /// <returns>Account, version and device count.</returns>
    public override string ToString() => $"DeviceList({Account} v{Version}, {_devices.Length} devices)";
}
