using E2eChat.Wire;

namespace E2eChat.Tests.Accounts;

/// <summary>Identities and lists for the account tests.</summary>
internal static class DeviceListFixture
{
    internal const ulong IssuedAt = 1_767_225_600_000;

    private static readonly Lazy<IdentityKey[]> s_identities = new(() =>
    [
        .. Enumerable.Range(0, 8).Select(_ =>
        {
            using var pair = IdentityKeyPair.Generate();
            return pair.PublicKey;
        }),
    ]);

    internal static IdentityKey Identity(int index) => s_identities.Value[index];

    internal static DeviceList Shop(ulong version, params uint[] devices) => new(
        "acme-shoes",
        AccountKind.Business,
        version,
        IssuedAt + version,
        devices.Select(d => new DeviceEntry(d, Identity((int)d % 8), $"Agent {d}", DeviceRole.Agent)));
}
