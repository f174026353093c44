namespace E2eChat.Accounts;

/// <summary>Why a fan-out encrypted nothing (PROTOCOL.md section 14.3-14.4).</summary>
public enum FanOutFailure
{
    /// <summary>No failure.</summary>
    None = 0,

    /// <summary>No device list is accepted for the recipient account (or for the sender's own account).</summary>
    NoDeviceList,

    /// <summary>The recipient has hosted endpoints and the application refuses them.</summary>
    HostedEndpointRefused,

    /// <summary>No pre-key bundle could be fetched for a device without a session.</summary>
    NoBundle,

    /// <summary>A fetched bundle's identity is not the one the signed device list names (a directory substituting keys).</summary>
    BundleIdentityMismatch,
}
