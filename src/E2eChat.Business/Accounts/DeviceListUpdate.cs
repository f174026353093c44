namespace E2eChat;

/// <summary>The outcome of applying a received device list (PROTOCOL.md section 14.2).</summary>
public sealed class DeviceListUpdate
{
    private DeviceListUpdate(E2eChatFailure failure, SignedDeviceList? list, IReadOnlyList<DeviceEntry> added, IReadOnlyList<DeviceEntry> removed)
    {
        Failure = failure;
        List = list;
        Added = added;
        Removed = removed;
    }

    /// <summary>Whether the list was accepted (or was a repeat of the stored one).</summary>
    public bool IsSuccess => Failure == E2eChatFailure.None;

    /// <summary>Why the list was refused, or <see cref="E2eChatFailure.None"/>.</summary>
    public E2eChatFailure Failure { get; }

    /// <summary>The received list: accepted on success; on <see cref="E2eChatFailure.AccountKeyMismatch"/> the list the application may approve; else null.</summary>
    public SignedDeviceList? List { get; }

    /// <summary>Devices that appeared (start sessions with them).</summary>
    public IReadOnlyList<DeviceEntry> Added { get; }

    /// <summary>Devices that are gone (nothing is encrypted to them any more).</summary>
    public IReadOnlyList<DeviceEntry> Removed { get; }

    internal static DeviceListUpdate Accepted(SignedDeviceList list, IReadOnlyList<DeviceEntry> added, IReadOnlyList<DeviceEntry> removed) => new(E2eChatFailure.None, list, added, removed);

    internal static DeviceListUpdate Refused(E2eChatFailure failure, SignedDeviceList? list = null) => new(failure, list, [], []);

    /// <summary>Describes the outcome (public data).</summary>
    /// <returns>The failure, or the counts of added and removed devices.</returns>
    public override string ToString() => IsSuccess ? $"accepted {List!.List} (+{Added.Count} -{Removed.Count})" : $"refused: {Failure}";
}
