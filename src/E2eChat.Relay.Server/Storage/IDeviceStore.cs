namespace E2eChat.Relay.Server.Storage;

/// <summary>Registered devices and their pinned identities.</summary>
internal interface IDeviceStore
{
    /// <summary>A device's registration.</summary>
    /// <param name="address">The device.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The registration, or <see langword="null"/> when the device is not registered.</returns>
    ValueTask<DeviceRegistration?> GetDeviceAsync(DeviceAddress address, CancellationToken cancellationToken);

    /// <summary>Every registered device of an account, by device id.</summary>
    /// <param name="name">The account.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The registrations (empty when none).</returns>
    ValueTask<IReadOnlyList<DeviceRegistration>> GetAccountDevicesAsync(string name, CancellationToken cancellationToken);

    /// <summary>
    /// Registers a device atomically: first come, identity pinned. An account's kind is fixed by its
    /// first device.
    /// </summary>
    /// <param name="registration">The device, kind and identity.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>What happened; only <see cref="RegistrationOutcome.Registered"/> changes anything.</returns>
    ValueTask<RegistrationOutcome> RegisterDeviceAsync(DeviceRegistration registration, CancellationToken cancellationToken);
}
