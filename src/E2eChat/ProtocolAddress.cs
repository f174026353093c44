using System.Buffers.Binary;

namespace E2eChat;

/// <summary>
/// Who a session is with: an account name and one of its devices. Names are 1 to 64 characters of
/// <c>[a-z0-9._-]</c> (the relay checks the same rule); device ids are 1 to 255.
/// </summary>
public readonly record struct ProtocolAddress
{
    /// <summary>The longest account name.</summary>
    public const int MaxNameLength = 64;

    /// <summary>The largest device id.</summary>
    public const uint MaxDeviceId = 255;

    /// <summary>Creates an address after checking both parts.</summary>
    /// <param name="name">The account name.</param>
    /// <param name="deviceId">The device id.</param>
    /// <exception cref="ArgumentException">The name or the device id is out of range.</exception>
    public ProtocolAddress(string name, uint deviceId)
    {
        if (!IsValidName(name))
        {
            throw new ArgumentException("Account names are 1 to 64 characters of [a-z0-9._-].", nameof(name));
        }

        if (deviceId is 0 or > MaxDeviceId)
        {
            throw new ArgumentOutOfRangeException(nameof(deviceId), "Device ids are 1 to 255.");
        }

        Name = name;
        DeviceId = deviceId;
    }

    /// <summary>The account name.</summary>
    public string Name { get; }

    /// <summary>The device id.</summary>
    public uint DeviceId { get; }

    /// <summary>Whether <paramref name="name"/> is a valid account name.</summary>
    /// <param name="name">The candidate.</param>
    /// <returns><see langword="true"/> when valid.</returns>
    public static bool IsValidName(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > MaxNameLength)
        {
            return false;
        }

        foreach (char c in name)
        {
            bool ok = c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '.' or '_' or '-';
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The longest <see cref="WriteBinding"/> encoding: a length byte, the longest name and a 4-byte
    /// device id.
    /// </summary>
    internal const int MaxBindingLength = 1 + MaxNameLength + sizeof(uint);

    /// <summary>Whether both parts are in range (a <see langword="default"/> address is not).</summary>
    internal bool IsValid => IsValidName(Name) && DeviceId is >= 1 and <= MaxDeviceId;

    /// <summary>The length of <see cref="WriteBinding"/>'s output.</summary>
    internal int BindingLength => 1 + Name.Length + sizeof(uint);

    /// <summary>
    /// Writes the address as the handshake binds it (PROTOCOL.md section 4):
    /// <c>Addr = u8(len(name)) || name (ASCII) || u32be(device)</c>.
    /// </summary>
    /// <param name="destination">At least <see cref="BindingLength"/> bytes.</param>
    /// <returns>The number of bytes written.</returns>
    internal int WriteBinding(Span<byte> destination)
    {
        if (!IsValid)
        {
            throw new InvalidOperationException("The address is not valid.");
        }

        destination[0] = (byte)Name.Length;
        for (int i = 0; i < Name.Length; i++)
        {
            destination[1 + i] = (byte)Name[i];
        }

        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(1 + Name.Length, sizeof(uint)), DeviceId);
        return BindingLength;
    }

    /// <summary>Formats as <c>name.device</c>.</summary>
    /// <returns>The address.</returns>
    public override string ToString() => $"{Name}.{DeviceId}";
}
