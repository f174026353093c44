
namespace E2eChat.Relay.Server.Addressing;

/// <summary>The device a call's token names, put on the call by <c>AuthInterceptor</c>.</summary>
/// <param name="Address">The device.</param>
/// <param name="Kind">Its account's kind.</param>
internal sealed record AuthenticatedDevice(DeviceAddress Address, PartyKind Kind)
{
    private const string UserStateKey = "e2echat-device";

    /// <summary>The device that authenticated <paramref name="context"/>.</summary>
    /// <param name="context">A call that passed <c>AuthInterceptor</c>.</param>
    /// <returns>The device.</returns>
    /// <exception cref="InvalidOperationException">The call was not authenticated (a wiring error).</exception>
    internal static AuthenticatedDevice From(ServerCallContext context) =>
        context.UserState.TryGetValue(UserStateKey, out object? value) && value is AuthenticatedDevice device
            ? device
            : throw new InvalidOperationException("The call was not authenticated.");

    /// <summary>Attaches this device to <paramref name="context"/>.</summary>
    /// <param name="context">The call.</param>
    internal void AttachTo(ServerCallContext context) => context.UserState[UserStateKey] = this;
}
