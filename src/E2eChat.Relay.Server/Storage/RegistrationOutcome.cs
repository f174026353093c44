namespace E2eChat.Relay.Server.Storage;

/// <summary>What <see cref="IDeviceStore.RegisterDeviceAsync"/> did.</summary>
internal enum RegistrationOutcome
{
    /// <summary>The device was not registered; now it is.</summary>
    Registered,

    /// <summary>The device was registered with the same identity and kind; nothing changed.</summary>
    AlreadyRegistered,

    /// <summary>The device is registered with another identity; nothing changed.</summary>
    IdentityMismatch,

    /// <summary>The account is registered with the other kind; nothing changed.</summary>
    KindMismatch,
}
