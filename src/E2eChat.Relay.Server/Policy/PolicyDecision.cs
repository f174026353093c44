namespace E2eChat.Relay.Server.Policy;

/// <summary>The policy's answer for one delivery: deliver, or refuse with a reason code sent to the sender.</summary>
/// <param name="Deliver">Whether to deliver.</param>
/// <param name="Reason">When refused, a short stable code (e.g. <c>NoConsent</c>, <c>Blocked</c>, <c>WindowClosed</c>).</param>
internal readonly record struct PolicyDecision(bool Deliver, string? Reason)
{
    /// <summary>Deliver.</summary>
    internal static PolicyDecision Allow => new(true, null);

    /// <summary>Refuse.</summary>
    /// <param name="reason">The reason code.</param>
    /// <returns>The decision.</returns>
    internal static PolicyDecision Refuse(string reason) => new(false, reason);
}
