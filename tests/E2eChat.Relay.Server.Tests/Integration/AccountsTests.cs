using E2eChat.Relay.Server.Api;
using Google.Protobuf;
using Grpc.Core;
using RelayKind = E2eChat.Wire.AccountKind;

namespace E2eChat.Relay.Server.Tests.Integration;

public sealed class AccountsTests(SharedRelayFixture fixture) : IClassFixture<SharedRelayFixture>
{
    private readonly RelayTestServer _server = fixture.Server;

    private static ByteString List(AccountKeyPair key, TestDevice device, ulong version, string label = "Sam", RelayKind? kind = null, string? account = null) =>
        ByteString.CopyFrom(SignedDeviceList.Sign(key, new DeviceList(account ?? device.Name, kind ?? device.Kind, version, version, [new DeviceEntry((uint)device.Device, device.Identity.PublicKey, label, DeviceRole.Agent)])).ToBytes());

    private static Task<PublishDeviceListResponse> PublishAsync(TestDevice device, ByteString list) =>
        device.Accounts.PublishDeviceListAsync(new PublishDeviceListRequest { SignedList = list }, device.Call()).ResponseAsync;

    [Fact]
    public async Task PublishDeviceList_FirstPinsKeyThenOnlyNewerVersions_GetReturnsTheCurrentList()
    {
        using var desk = new TestDevice(_server, Names.New("shop"), kind: RelayKind.Business);
        using var alice = new TestDevice(_server, Names.New("alice"));
        await desk.AuthenticateAsync();
        await alice.AuthenticateAsync();
        using AccountKeyPair shopKey = AccountKeyPair.Generate();
        using AccountKeyPair otherKey = AccountKeyPair.Generate();
        ByteString v1 = List(shopKey, desk, 1);
        ByteString v2 = List(shopKey, desk, 2, "Sam (desk 1)");

        Assert.True((await PublishAsync(desk, v1)).Changed);
        Assert.False((await PublishAsync(desk, v1)).Changed);
        PublishDeviceListResponse second = await PublishAsync(desk, v2);
        Assert.True(second.Changed);
        Assert.Equal(2UL, second.Version);
        await Assertions.RefusedAsync(StatusCode.FailedPrecondition, "VersionRollback", () => PublishAsync(desk, v1));
        await Assertions.RefusedAsync(StatusCode.FailedPrecondition, "VersionRollback", () => PublishAsync(desk, List(shopKey, desk, 2, "Someone else")));
        await Assertions.RefusedAsync(StatusCode.FailedPrecondition, "AccountKeyMismatch", () => PublishAsync(desk, List(otherKey, desk, 3)));

        // Any signed-in device reads the current list, and the client library accepts it (pinning the key).
        GetDeviceListResponse current = await alice.Accounts.GetDeviceListAsync(new GetDeviceListRequest { Account = desk.Name }, alice.Call());
        Assert.Equal(v2, current.SignedList);
        var directory = new AccountDirectory(new InMemoryAccountStore(), alice.Stores.Identities);
        DeviceListUpdate update = await directory.ApplyAsync(desk.Name, current.SignedList.ToByteArray());
        Assert.True(update.IsSuccess, update.ToString());
        Assert.Equal(shopKey.PublicKey, update.List!.AccountKey);
    }

    [Fact]
    public async Task PublishDeviceList_OtherAccountOtherKindOrTampered_RefusedAndNothingStored()
    {
        using var desk = new TestDevice(_server, Names.New("shop"), kind: RelayKind.Business);
        using var alice = new TestDevice(_server, Names.New("alice"));
        await desk.AuthenticateAsync();
        await alice.AuthenticateAsync();
        using AccountKeyPair key = AccountKeyPair.Generate();
        byte[] tampered = List(key, desk, 1).ToByteArray();
        tampered[^70] ^= 0x01; // inside the list, so the signature no longer verifies

        await Assertions.RefusedAsync(StatusCode.PermissionDenied, "NotYourAccount", () => PublishAsync(alice, List(key, desk, 1)));
        await Assertions.RefusedAsync(StatusCode.PermissionDenied, "NotYourAccount", () => PublishAsync(desk, List(key, desk, 1, kind: RelayKind.Person)));
        await Assertions.RefusedAsync(StatusCode.InvalidArgument, "InvalidDeviceList", () => PublishAsync(desk, ByteString.CopyFrom(tampered)));
        await Assertions.RefusedAsync(StatusCode.InvalidArgument, "InvalidDeviceList", () => PublishAsync(desk, ByteString.CopyFrom(new byte[40_000])));
        await Assertions.RefusedAsync(StatusCode.InvalidArgument, "InvalidDeviceList", () => PublishAsync(desk, ByteString.Empty));
        await Assertions.RefusedAsync(StatusCode.NotFound, "NoDeviceList", () => alice.Accounts.GetDeviceListAsync(new GetDeviceListRequest { Account = desk.Name }, alice.Call()).ResponseAsync);
        await Assertions.RefusedAsync(StatusCode.InvalidArgument, "InvalidAddress", () => alice.Accounts.GetDeviceListAsync(new GetDeviceListRequest { Account = "Not A Name" }, alice.Call()).ResponseAsync);
        await Assertions.RefusedAsync(StatusCode.Unauthenticated, "MissingToken", () => new Api.Accounts.AccountsClient(alice.Invoker).GetDeviceListAsync(new GetDeviceListRequest { Account = desk.Name }).ResponseAsync);
    }

    [Fact]
    public async Task PublishDeviceList_SixtyFourDevicesAccepted_SixtyFiveRefused()
    {
        using var desk = new TestDevice(_server, Names.New("shop"), kind: RelayKind.Business);
        await desk.AuthenticateAsync();
        using AccountKeyPair key = AccountKeyPair.Generate();
        DeviceEntry[] entries = [.. Enumerable.Range(1, 64).Select(i => new DeviceEntry((uint)i, desk.Identity.PublicKey, $"Agent {i}", DeviceRole.Agent))];
        byte[] full = SignedDeviceList.Sign(key, new DeviceList(desk.Name, RelayKind.Business, 1, 1, entries)).ToBytes();
        Assert.True((await PublishAsync(desk, ByteString.CopyFrom(full))).Changed);

        // A 65th entry (the client library refuses to build one): appended to the list bytes and signed again, from the spec.
        byte[] identity = desk.Identity.PublicKey.AsSpan().ToArray();
        byte[] entry = [0x08, 65, 0x12, 0x80, 0x01, .. identity, 0x1a, 8, .. "Agent 65"u8, 0x20, 1];
        byte[] longer = [.. ListBytes(full), 0x2a, .. Varint(entry.Length), .. entry];
        byte[] signed = SignSpec(key, longer);
        Assert.Equal(full, SignSpec(key, ListBytes(full))); // the hand encoding is the library's
        await Assertions.RefusedAsync(StatusCode.InvalidArgument, "InvalidDeviceList", () => PublishAsync(desk, ByteString.CopyFrom(signed)));
    }

    /// <summary>The <c>list</c> field of a SignedDeviceList (PROTOCOL.md 14: account_key = 1, list = 2, signature = 3).</summary>
    private static byte[] ListBytes(byte[] signed)
    {
        int position = 2 + 32 + 1;
        int length = 0;
        for (int shift = 0; ; shift += 7)
        {
            byte b = signed[position++];
            length |= (b & 0x7f) << shift;
            if (b < 0x80)
            {
                break;
            }
        }

        return signed[position..(position + length)];
    }

    private static byte[] Varint(int value)
    {
        var bytes = new List<byte>();
        for (; value >= 0x80; value >>= 7)
        {
            bytes.Add((byte)((value & 0x7f) | 0x80));
        }

        bytes.Add((byte)value);
        return [.. bytes];
    }

    /// <summary>A SignedDeviceList over <paramref name="list"/>, signed with the spec's label, encoded by hand.</summary>
    private static byte[] SignSpec(AccountKeyPair key, byte[] list)
    {
        using SecretBuffer seed = key.ExportPrivateKey();
        using NSec.Cryptography.Key signer = NSec.Cryptography.Key.Import(NSec.Cryptography.SignatureAlgorithm.Ed25519, seed.Span, NSec.Cryptography.KeyBlobFormat.RawPrivateKey);
        byte[] signature = NSec.Cryptography.SignatureAlgorithm.Ed25519.Sign(signer, [.. "E2eChat/v1/device-list"u8, 0, .. list]);
        return [0x0a, 32, .. key.PublicKey.ToBytes(), 0x12, .. Varint(list.Length), .. list, 0x1a, 64, .. signature];
    }
}
