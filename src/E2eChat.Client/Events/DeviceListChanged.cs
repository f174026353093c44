
namespace E2eChat.Client;

/// <summary>A contact sent its account's new signed device list, which verified and was applied (its devices' identities are now trusted).</summary>
public sealed class DeviceListChanged : ChatEvent
{
    internal DeviceListChanged(ProtocolAddress sender, DeviceListUpdate update)
    {
        Sender = sender;
        Update = update;
    }

    /// <summary>The device that sent the list.</summary>
    public ProtocolAddress Sender { get; }

    /// <summary>The list applied, with the devices added and removed.</summary>
    public DeviceListUpdate Update { get; }

    /// <summary>Names the account and the change.</summary>
    /// <returns>A description.</returns>
    public override string ToString() => $"DeviceListChanged({Update})";
}
