
namespace E2eChat.Relay.Server.Auth;

/// <summary>
/// The default gate: a device address is registered by the first identity that proves possession of
/// its key, and afterwards only that identity signs in as it; an account keeps the kind of its first
/// device. (The store enforces the same atomically, so concurrent first registrations cannot both win.)
/// </summary>
internal sealed class FirstComeDeviceAdmission : IDeviceAdmission
{
    /// <inheritdoc />
    public ValueTask<AdmissionDecision> AdmitAsync(DeviceAdmissionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Existing is { } existing)
        {
            if (existing.Kind != request.Kind)
            {
                return ValueTask.FromResult(AdmissionDecision.Refuse(RelayFailure.AccountKindMismatch, "the account is registered with the other kind"));
            }

            if (!existing.IdentityKey.AsSpan().SequenceEqual(request.IdentityKey))
            {
                return ValueTask.FromResult(AdmissionDecision.Refuse(RelayFailure.IdentityMismatch, "the device is registered with another identity"));
            }
        }

        return ValueTask.FromResult(AdmissionDecision.Admit);
    }
}
