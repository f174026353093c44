namespace E2eChat.Relay.Server.Storage;

/// <summary>The key directory: published pre-keys and atomic claims of one-time ones.</summary>
internal interface IPreKeyStore
{
    /// <summary>Stores an upload atomically, unless a device would then hold more one-time keys of a kind than allowed.</summary>
    /// <param name="device">The (registered) device.</param>
    /// <param name="upload">The verified keys.</param>
    /// <param name="maxOneTimePerKind">The most one-time keys of each kind the device may hold.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Whether it was stored, and the counts afterwards.</returns>
    ValueTask<PublishOutcome> PublishPreKeysAsync(DeviceAddress device, PreKeyUpload upload, int maxOneTimePerKind, CancellationToken cancellationToken);

    /// <summary>How many one-time keys of each kind a device has left.</summary>
    /// <param name="device">The device.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The counts (zero for an unknown device).</returns>
    ValueTask<PreKeyCounts> CountPreKeysAsync(DeviceAddress device, CancellationToken cancellationToken);

    /// <summary>
    /// Claims a bundle atomically: the current signed pre-key, one one-time X25519 pre-key (deleted;
    /// none when none is left) and one one-time KEM pre-key (deleted; the last-resort one when none is
    /// left). No one-time key is ever returned twice, whatever the concurrency.
    /// </summary>
    /// <param name="device">The device.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The bundle, or <see langword="null"/> when the device is unknown or has no signed or last-resort key.</returns>
    ValueTask<ClaimedBundle?> ClaimBundleAsync(DeviceAddress device, CancellationToken cancellationToken);
}
