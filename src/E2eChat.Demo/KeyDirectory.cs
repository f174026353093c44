using E2eChat.Relay;
using E2eChat.Wire;

namespace E2eChat.Demo;

/// <summary>
/// The key directory, in memory: each device publishes serialized pre-key bundles (bytes only, as a
/// server would hold them), and anyone may fetch them. Each published bundle is handed out once, so a
/// one-time pre-key goes to a single peer. The directory also knows each account's kind and a display
/// name per device, the public profile a chat app shows, and each account's signed device list (bytes).
/// </summary>
internal sealed class KeyDirectory
{
    private readonly Dictionary<ProtocolAddress, Queue<byte[]>> _bundles = [];
    private readonly Dictionary<string, AccountKind> _kinds = [];
    private readonly Dictionary<ProtocolAddress, string> _displayNames = [];
    private readonly Dictionary<string, byte[]> _deviceLists = [];

    /// <summary>Publishes one more bundle (its bytes are copied) for <paramref name="device"/>.</summary>
    internal void Publish(ProtocolAddress device, AccountKind kind, string displayName, ReadOnlySpan<byte> bundle)
    {
        _kinds[device.Name] = kind;
        _displayNames[device] = displayName;
        if (!_bundles.TryGetValue(device, out Queue<byte[]>? queue))
        {
            queue = new Queue<byte[]>();
            _bundles.Add(device, queue);
        }

        queue.Enqueue(bundle.ToArray());
    }

    /// <summary>The devices of <paramref name="account"/> with a published bundle, by device id.</summary>
    internal IReadOnlyList<ProtocolAddress> Devices(string account) =>
        [.. _bundles.Keys.Where(a => a.Name == account).OrderBy(a => a.DeviceId)];

    /// <summary>Takes the next unused bundle of <paramref name="device"/>, or null when none is left.</summary>
    internal byte[]? TakeBundle(ProtocolAddress device) =>
        _bundles.TryGetValue(device, out Queue<byte[]>? queue) && queue.TryDequeue(out byte[]? bundle) ? bundle : null;

    /// <summary>Whether <paramref name="account"/> is a person's or a business's account.</summary>
    internal AccountKind KindOf(string account) => _kinds.GetValueOrDefault(account, AccountKind.Unspecified);

    /// <summary>The name a chat app shows for <paramref name="device"/>.</summary>
    internal string DisplayName(ProtocolAddress device) => _displayNames.GetValueOrDefault(device, device.ToString());

    /// <summary>Publishes (replaces) the signed device list of its account, as bytes.</summary>
    internal void PublishDeviceList(SignedDeviceList list) => _deviceLists[list.List.Account] = list.ToBytes();

    /// <summary>The signed device list of <paramref name="account"/> (a copy of the bytes), or null when none is published.</summary>
    internal byte[]? DeviceList(string account) => _deviceLists.TryGetValue(account, out byte[]? list) ? [.. list] : null;
}
