using System.Text;

namespace E2eChat;

/// <summary>One device of an account's list (PROTOCOL.md section 14): who it is and who runs it.</summary>
public sealed class DeviceEntry
{
    /// <summary>The longest label or processor name, in UTF-8 bytes.</summary>
    public const int MaxLabelLength = 64;

    /// <summary>Creates an entry; the arguments must satisfy section 14.1.</summary>
    /// <param name="device">The device id, 1-255.</param>
    /// <param name="identity">The device's public identity.</param>
    /// <param name="label">What the account calls it ("Sam", "Returns bot"), 1-64 UTF-8 bytes.</param>
    /// <param name="role">Who runs it.</param>
    /// <param name="processor">The company that runs a <see cref="DeviceRole.Hosted"/> device (1-64 UTF-8 bytes); null for any other role.</param>
    /// <exception cref="ArgumentException">An argument breaks a rule of section 14.1.</exception>
    public DeviceEntry(uint device, IdentityKey identity, string label, DeviceRole role, string? processor = null)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(label);
        ArgumentOutOfRangeException.ThrowIfZero(device);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(device, ProtocolAddress.MaxDeviceId);
        if (!IsValidText(label))
        {
            throw new ArgumentException($"A label is 1-{MaxLabelLength} UTF-8 bytes.", nameof(label));
        }

        if (role is not (DeviceRole.Agent or DeviceRole.Automation or DeviceRole.Hosted))
        {
            throw new ArgumentOutOfRangeException(nameof(role));
        }

        if ((role == DeviceRole.Hosted) != (processor is not null) || (processor is not null && !IsValidText(processor)))
        {
            throw new ArgumentException($"A hosted device names its processor (1-{MaxLabelLength} UTF-8 bytes); no other device does.", nameof(processor));
        }

        Device = device;
        Identity = identity;
        Label = label;
        Role = role;
        Processor = processor;
    }

    /// <summary>The device id.</summary>
    public uint Device { get; }

    /// <summary>The device's public identity.</summary>
    public IdentityKey Identity { get; }

    /// <summary>What the account calls the device.</summary>
    public string Label { get; }

    /// <summary>Who runs the device.</summary>
    public DeviceRole Role { get; }

    /// <summary>The company running a hosted device, else null.</summary>
    public string? Processor { get; }

    /// <summary>Describes the entry (public data).</summary>
    /// <returns>For example <c>2 "Returns bot" (Automation)</c>.</returns>
    public override string ToString() => Processor is null ? $"{Device} \"{Label}\" ({Role})" : $"{Device} \"{Label}\" (Hosted by {Processor})";

    private static bool IsValidText(string text)
    {
        int length;
        try
        {
            length = RecordText.Strict.GetByteCount(text);
        }
        catch (EncoderFallbackException)
        {
            return false;
        }

        return length is >= 1 and <= MaxLabelLength;
    }
}
