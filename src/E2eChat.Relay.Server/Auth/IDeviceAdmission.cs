namespace E2eChat.Relay.Server.Auth;

/// <summary>
/// The registration gate, consulted on every authentication after the signature verified. Today's
/// default (<see cref="FirstComeDeviceAdmission"/>) admits a new device first come and pins its
/// identity; with signed device lists (issue 13) an implementation admits exactly the devices the
/// account's latest signed list names, with the identities it names, and refuses removed ones.
/// </summary>
internal interface IDeviceAdmission
{
    /// <summary>Decides whether a device that proved possession of <see cref="DeviceAdmissionRequest.IdentityKey"/> may sign in.</summary>
    /// <param name="request">The device, its kind, identity and current registration.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The decision.</returns>
    ValueTask<AdmissionDecision> AdmitAsync(DeviceAdmissionRequest request, CancellationToken cancellationToken);
}
