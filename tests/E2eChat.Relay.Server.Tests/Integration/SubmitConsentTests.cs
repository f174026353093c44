using E2eChat.Relay.Server.Api;
using E2eChat.Wire;
using Google.Protobuf;
using Grpc.Core;
using Category = E2eChat.Wire.Category;
using RelayKind = E2eChat.Wire.AccountKind;

namespace E2eChat.Relay.Server.Tests.Integration;

/// <summary><c>SubmitConsent</c> (PROTOCOL.md 17.5): records made by the client library, verified under the pinned account key, enforced by the relay.</summary>
public sealed class SubmitConsentTests(SharedRelayFixture fixture) : IClassFixture<SharedRelayFixture>
{
    private readonly RelayTestServer _server = fixture.Server;

    private static Task<SubmitConsentResponse> SubmitAsync(TestDevice device, SignedConsent record) => SubmitAsync(device, record.ToBytes());

    private static Task<SubmitConsentResponse> SubmitAsync(TestDevice device, byte[] record) =>
        device.Accounts.SubmitConsentAsync(new SubmitConsentRequest { SignedRecord = ByteString.CopyFrom(record) }, device.Call()).ResponseAsync;

    private static async Task PublishListAsync(TestDevice device, AccountKeyPair key)
    {
        byte[] list = SignedDeviceList.Sign(key, new DeviceList(device.Name, device.Kind, 1, 1, [new DeviceEntry((uint)device.Device, device.Identity.PublicKey, "Phone", DeviceRole.Agent)])).ToBytes();
        Assert.True((await device.Accounts.PublishDeviceListAsync(new PublishDeviceListRequest { SignedList = ByteString.CopyFrom(list) }, device.Call())).Changed);
    }

    private static async Task<EnvelopeResult> ShopWritesAsync(TestDevice shop, TestDevice customer, Category category) =>
        (await shop.SendAsync(shop.Envelope(customer.Address, RelayKind.Person, TestEnvelopes.RandomRatchetMessage(), category: category))).Results.Single();

    [Fact]
    public async Task SubmitConsent_GrantThenBlock_RelayDeliversUnderGrantThenRefusesBlocked()
    {
        using var shop = new TestDevice(_server, Names.New("shop"), kind: RelayKind.Business);
        using var alice = new TestDevice(_server, Names.New("alice"));
        await shop.AuthenticateAsync();
        await alice.AuthenticateAsync();
        using AccountKeyPair key = AccountKeyPair.Generate();
        await PublishListAsync(alice, key);
        var consent = new CustomerConsent(alice.Name, key, new InMemoryConsentStateStore(), TimeProvider.System);

        Assert.Equal("NoConsent", (await ShopWritesAsync(shop, alice, Category.Marketing)).Reason);
        SignedConsent grant = await consent.GrantAsync(shop.Name, ConsentScopes.Utility | ConsentScopes.Marketing);
        SubmitConsentResponse granted = await SubmitAsync(alice, grant);
        Assert.True(granted.Changed);
        Assert.Equal(1ul, granted.Serial);
        Assert.Equal((uint)(ConsentScopes.Utility | ConsentScopes.Marketing), granted.Scopes);
        Assert.Equal(EnvelopeStatus.Accepted, (await ShopWritesAsync(shop, alice, Category.Marketing)).Status);
        Assert.Equal("NoConsent", (await ShopWritesAsync(shop, alice, Category.Authentication)).Reason);

        // An identical retry answers OK without change; the older grant after a block is stale.
        Assert.False((await SubmitAsync(alice, grant)).Changed);
        SignedConsent block = await consent.BlockAsync(shop.Name);
        SubmitConsentResponse blocked = await SubmitAsync(alice, block);
        Assert.True(blocked.Blocked);
        Assert.Equal(0u, blocked.Scopes);
        Assert.False((await SubmitAsync(alice, block)).Changed);
        await Assertions.RefusedAsync(StatusCode.FailedPrecondition, "StaleSerial", () => SubmitAsync(alice, grant));
        Assert.Equal("Blocked", (await ShopWritesAsync(shop, alice, Category.Utility)).Reason);
        Assert.Equal("Blocked", (await ShopWritesAsync(shop, alice, Category.Marketing)).Reason);
    }

    [Fact]
    public async Task SubmitConsent_Block_DropsWhatTheBusinessQueuedAndKeepsOtherSenders()
    {
        using var shop = new TestDevice(_server, Names.New("shop"), kind: RelayKind.Business);
        using var other = new TestDevice(_server, Names.New("other"), kind: RelayKind.Business);
        using var bob = new TestDevice(_server, Names.New("bob"));
        using var alice = new TestDevice(_server, Names.New("alice"));
        using var alicePad = new TestDevice(_server, alice.Name, device: 2);
        foreach (TestDevice device in new[] { shop, other, bob, alice, alicePad })
        {
            await device.AuthenticateAsync();
        }

        using AccountKeyPair key = AccountKeyPair.Generate();
        await PublishListAsync(alice, key);
        var consent = new CustomerConsent(alice.Name, key, new InMemoryConsentStateStore(), TimeProvider.System);
        Assert.True((await SubmitAsync(alice, await consent.GrantAsync(shop.Name, ConsentScopes.Utility))).Changed);
        Assert.True((await SubmitAsync(alice, await consent.GrantAsync(other.Name, ConsentScopes.Utility))).Changed);

        // Queued before the block: two from the shop to each of alice's devices, one from another business, one from a person.
        var kept = new List<byte[]>();
        foreach (TestDevice to in new[] { alice, alicePad })
        {
            for (int i = 0; i < 2; i++)
            {
                byte[] fromShop = shop.Envelope(to.Address, RelayKind.Person, TestEnvelopes.RandomRatchetMessage(), category: Category.Utility);
                Assert.Equal(EnvelopeStatus.Accepted, (await shop.SendAsync(fromShop)).Results.Single().Status);
            }

            byte[] fromOther = other.Envelope(to.Address, RelayKind.Person, TestEnvelopes.RandomRatchetMessage(), category: Category.Utility);
            byte[] fromBob = bob.RatchetEnvelope(to);
            Assert.Equal(EnvelopeStatus.Accepted, (await other.SendAsync(fromOther)).Results.Single().Status);
            Assert.Equal(EnvelopeStatus.Accepted, (await bob.SendAsync(fromBob)).Results.Single().Status);
            kept.Add(fromOther);
            kept.Add(fromBob);
        }

        SignedConsent block = await consent.BlockAsync(shop.Name);
        Assert.True((await SubmitAsync(alice, block)).Blocked);

        var delivered = new List<byte[]>();
        foreach (TestDevice device in new[] { alice, alicePad })
        {
            using ReceiveStream stream = await device.ReceiveAsync();
            delivered.AddRange((await stream.ReadUntilDrainedAsync()).Select(d => d.Envelope.ToByteArray()));
        }

        Assert.Equal(kept.Select(Convert.ToBase64String).Order(), delivered.Select(Convert.ToBase64String).Order());

        // A retry of the block (its purge is a separate step after the stored block) answers OK and purges again.
        Assert.False((await SubmitAsync(alice, block)).Changed);
    }

    [Fact]
    public async Task SubmitConsent_EveryRefusal_TypedAndNothingApplied()
    {
        using var shop = new TestDevice(_server, Names.New("shop"), kind: RelayKind.Business);
        using var alice = new TestDevice(_server, Names.New("alice"));
        using var bob = new TestDevice(_server, Names.New("bob"));
        await shop.AuthenticateAsync();
        await alice.AuthenticateAsync();
        await bob.AuthenticateAsync();
        using AccountKeyPair key = AccountKeyPair.Generate();
        using AccountKeyPair other = AccountKeyPair.Generate();
        var consent = new CustomerConsent(alice.Name, key, new InMemoryConsentStateStore(), TimeProvider.System);
        var forger = new CustomerConsent(alice.Name, other, new InMemoryConsentStateStore(), TimeProvider.System);
        SignedConsent grant = await consent.GrantAsync(shop.Name, ConsentScopes.Marketing);

        // Before alice published a device list, the relay knows no account key for her.
        await Assertions.RefusedAsync(StatusCode.InvalidArgument, "UnknownAccountKey", () => SubmitAsync(alice, grant));
        await PublishListAsync(alice, key);

        await Assertions.RefusedAsync(StatusCode.PermissionDenied, "NotYourAccount", () => SubmitAsync(bob, grant));
        await Assertions.RefusedAsync(StatusCode.PermissionDenied, "NotYourAccount", () => SubmitAsync(shop, grant));
        SignedConsent forged = await forger.GrantAsync(shop.Name, ConsentScopes.Marketing);
        SignedConsent toNobody = await consent.GrantAsync(Names.New("nobody"), ConsentScopes.Marketing);
        SignedConsent toPerson = await consent.BlockAsync(bob.Name);
        await Assertions.RefusedAsync(StatusCode.InvalidArgument, "WrongSigner", () => SubmitAsync(alice, forged));
        byte[] tampered = grant.ToBytes();
        tampered[^1] ^= 0x01;
        await Assertions.RefusedAsync(StatusCode.InvalidArgument, "BadSignature", () => SubmitAsync(alice, tampered));
        await Assertions.RefusedAsync(StatusCode.InvalidArgument, "Truncated", () => SubmitAsync(alice, grant.ToBytes()[..^1]));
        await Assertions.RefusedAsync(StatusCode.InvalidArgument, "TooLarge", () => SubmitAsync(alice, new byte[WireConsentRecord.MaxLength + 1]));
        await Assertions.RefusedAsync(StatusCode.NotFound, "UnknownAccount", () => SubmitAsync(alice, toNobody));
        await Assertions.RefusedAsync(StatusCode.NotFound, "UnknownAccount", () => SubmitAsync(alice, toPerson));
        Assert.Equal("NoConsent", (await ShopWritesAsync(shop, alice, Category.Marketing)).Reason);

        // The valid record still applies after all of that.
        Assert.True((await SubmitAsync(alice, grant)).Changed);
        Assert.Equal(EnvelopeStatus.Accepted, (await ShopWritesAsync(shop, alice, Category.Marketing)).Status);
    }
}
