using E2eChat.Wire;

namespace E2eChat.Client.Tests.Infrastructure;

/// <summary>Signed device lists for test accounts.</summary>
internal static class TestAccounts
{
    public const ulong IssuedAt = 1_700_000_000_000;

    /// <summary>Signs a list of <paramref name="devices"/> (all agents) for their account.</summary>
    public static SignedDeviceList List(AccountKeyPair key, ulong version, params ChatDevice[] devices) =>
        SignedDeviceList.Sign(key, new DeviceList(devices[0].Address.Name, devices[0].Kind, version, IssuedAt, devices.Select(d => new DeviceEntry(d.Address.DeviceId, d.Identity, $"Device {d.Address.DeviceId}", DeviceRole.Agent))));
}
