namespace E2eChat.Client;

/// <summary>Why a <see cref="ChatDevice"/> operation failed (the reason of the <see cref="Errors.E2eChatException"/> it throws).</summary>
public enum ClientFailure
{
    /// <summary>No failure.</summary>
    None = 0,

    /// <summary>The relay signs challenges under another name than <see cref="ChatDeviceOptions.RelayId"/>: not the relay meant.</summary>
    RelayIdMismatch,

    /// <summary>The relay refused to sign the device in (see the log for its reason, e.g. <c>IdentityMismatch</c>).</summary>
    AuthenticationRefused,

    /// <summary>The relay could not be reached within the configured attempts.</summary>
    RelayUnavailable,

    /// <summary>The recipient device has no pre-keys at the relay (it never connected, or is unknown).</summary>
    NoPreKeys,

    /// <summary>The relay served a pre-key bundle that does not verify (PROTOCOL.md 3.4).</summary>
    BundleRefused,

    /// <summary>Another receive stream for this device replaced ours (a second instance of the device is running).</summary>
    StreamReplaced,

    /// <summary>A received copy of an own-account message (a sync message) came from another account's device: reported as a violation.</summary>
    SyncFromAnotherAccount,

    /// <summary>A contact sent a device list of another account than its own: reported as a violation.</summary>
    DeviceListOfAnotherAccount,

    /// <summary>The relay refused a call for a reason the client cannot recover from (see the log).</summary>
    RelayRefused,

    /// <summary>A device list was refused by the relay or by our own directory (another account key, an older version; see the log).</summary>
    DeviceListRefused,

    /// <summary>A consent call needs the account key: call <see cref="ChatDevice.UseAccountKey"/> first (a person's device).</summary>
    NoAccountKey,

    /// <summary>No group with this id was created on this device (<see cref="ChatDevice.CreateGroupAsync"/>).</summary>
    UnknownGroup,

    /// <summary>The account is not a member of the group (removing it, or it is our own account).</summary>
    NotAGroupMember,

    /// <summary>A group with this id was already created on this device.</summary>
    GroupExists,
}
