
namespace E2eChat.Relay.Server.Auth;

/// <summary>Reads and checks the <c>DeviceAddress</c> messages of requests.</summary>
internal static class RequestAddresses
{
    /// <summary>Reads an address and its kind, refusing a malformed one with <see cref="RelayFailure.InvalidAddress"/>.</summary>
    /// <param name="address">The request's address (may be null when absent).</param>
    /// <returns>The device and kind.</returns>
    /// <exception cref="RpcException">InvalidArgument when the address is missing or malformed.</exception>
    internal static (DeviceAddress Address, PartyKind Kind) Read(Api.DeviceAddress? address)
    {
        if (address is null || !DeviceAddress.IsValid(address.Name, address.Device)
            || address.Kind is not (Api.AccountKind.Person or Api.AccountKind.Business))
        {
            throw RelayErrors.Create(StatusCode.InvalidArgument, RelayFailure.InvalidAddress, "the device address is missing or malformed (name 1-64 of [a-z0-9._-], device 1-255, kind person or business)");
        }

        return (new DeviceAddress(address.Name, (int)address.Device), (PartyKind)(int)address.Kind);
    }

    /// <summary>Reads an address that must be the authenticated device itself.</summary>
    /// <param name="address">The request's address.</param>
    /// <param name="device">The authenticated device.</param>
    /// <exception cref="RpcException">InvalidArgument when malformed, PermissionDenied when another device.</exception>
    internal static void RequireSelf(Api.DeviceAddress? address, AuthenticatedDevice device)
    {
        (DeviceAddress named, PartyKind kind) = Read(address);
        if (named != device.Address || kind != device.Kind)
        {
            throw RelayErrors.Create(StatusCode.PermissionDenied, RelayFailure.NotYourDevice, $"the token is for {device.Address}, not {named}");
        }
    }
}
