
namespace E2eChat.Relay.Server.Auth;

/// <summary>The registration gate's answer.</summary>
/// <param name="Admitted">Whether the device may sign in (and register if new).</param>
/// <param name="Failure">Why not, when refused.</param>
/// <param name="Reason">A human-readable reason, when refused.</param>
internal readonly record struct AdmissionDecision(bool Admitted, RelayFailure Failure, string? Reason)
{
    /// <summary>Admitted.</summary>
    internal static AdmissionDecision Admit => new(true, default, null);

    /// <summary>Refused.</summary>
    /// <param name="failure">Why.</param>
    /// <param name="reason">Explanation.</param>
    /// <returns>The decision.</returns>
    internal static AdmissionDecision Refuse(RelayFailure failure, string reason) => new(false, failure, reason);
}
