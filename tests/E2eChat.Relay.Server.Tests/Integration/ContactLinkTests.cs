using E2eChat.Relay.Server.Api;
using Google.Protobuf;
using Grpc.Core;
using RelayKind = E2eChat.Wire.AccountKind;

namespace E2eChat.Relay.Server.Tests.Integration;

/// <summary><c>Accounts.ResolveContactLink</c> (PROTOCOL.md 15.5) on the real server.</summary>
public sealed class ContactLinkTests(SharedRelayFixture fixture) : IClassFixture<SharedRelayFixture>
{
    private static readonly ulong s_day = 24 * 60 * 60 * 1000;

    private readonly RelayTestServer _server = fixture.Server;

    private static ulong Now => (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    private static SignedContactLink Link(AccountKeyPair key, string account, ulong issuedAt, ulong expiresAt) =>
        SignedContactLink.Sign(key, new ContactLink(account, "Shop", key.PublicKey, issuedAt, expiresAt, "Hi, about my order", "campaign-7"u8, scopes: 2));

    private static SignedContactLink Link(AccountKeyPair key, string account) => Link(key, account, Now - 1000, Now + s_day);

    private static Task<ResolveContactLinkResponse> ResolveAsync(TestDevice device, ReadOnlySpan<byte> signedLink) =>
        device.Accounts.ResolveContactLinkAsync(new ResolveContactLinkRequest { SignedLink = ByteString.CopyFrom(signedLink) }, device.Call()).ResponseAsync;

    private static async Task PublishAsync(TestDevice device, AccountKeyPair key, ulong version = 1)
    {
        byte[] list = SignedDeviceList.Sign(key, new DeviceList(device.Name, device.Kind, version, version, [new DeviceEntry((uint)device.Device, device.Identity.PublicKey, "Sam", DeviceRole.Agent)])).ToBytes();
        await device.Accounts.PublishDeviceListAsync(new PublishDeviceListRequest { SignedList = ByteString.CopyFrom(list) }, device.Call());
    }

    [Fact]
    public async Task ResolveContactLink_PinnedKey_AnswersTheCurrentListWhichTheClientOpens()
    {
        using var desk = new TestDevice(_server, Names.New("shop"), kind: RelayKind.Business);
        using var alice = new TestDevice(_server, Names.New("alice"));
        await desk.AuthenticateAsync();
        await alice.AuthenticateAsync();
        using AccountKeyPair shopKey = AccountKeyPair.Generate();
        await PublishAsync(desk, shopKey, 1);
        await PublishAsync(desk, shopKey, 2);
        SignedContactLink link = Link(shopKey, desk.Name);

        // The customer scans the URI; the relay checks the link and answers the list it serves now.
        Assert.True(SignedContactLink.TryOpen(link.ToUri(), Now, out SignedContactLink? opened, out E2eChatFailure opening), opening.ToString());
        ResolveContactLinkResponse resolved = await ResolveAsync(alice, opened.AsSpan());

        Assert.Equal(desk.Name, resolved.Account);
        Assert.Equal(2UL, resolved.Version);
        GetDeviceListResponse current = await alice.Accounts.GetDeviceListAsync(new GetDeviceListRequest { Account = desk.Name }, alice.Call());
        Assert.Equal(current.SignedList, resolved.SignedList);
        var directory = new AccountDirectory(new InMemoryAccountStore(), alice.Stores.Identities);
        (E2eChatFailure failure, DeviceListUpdate? update) = await directory.OpenContactLinkAsync(opened, resolved.SignedList.Memory);
        Assert.Equal(E2eChatFailure.None, failure);
        Assert.Equal(shopKey.PublicKey, update!.List!.AccountKey);

        // Resolving is read-only: the same link resolves again to the same answer.
        Assert.Equal(resolved, await ResolveAsync(alice, opened.AsSpan()));
    }

    [Fact]
    public async Task ResolveContactLink_BadLinks_RefusedWithTheirStatus()
    {
        using var desk = new TestDevice(_server, Names.New("shop"), kind: RelayKind.Business);
        using var bob = new TestDevice(_server, Names.New("bob"));
        using var alice = new TestDevice(_server, Names.New("alice"));
        await desk.AuthenticateAsync();
        await bob.AuthenticateAsync();
        await alice.AuthenticateAsync();
        using AccountKeyPair shopKey = AccountKeyPair.Generate();
        using AccountKeyPair forgerKey = AccountKeyPair.Generate();
        using AccountKeyPair bobKey = AccountKeyPair.Generate();
        string unlisted = Names.New("ghost");

        await Assertions.RefusedAsync(StatusCode.NotFound, "NoDeviceList", () => ResolveAsync(alice, Link(shopKey, desk.Name).AsSpan()));
        await PublishAsync(desk, shopKey);
        await PublishAsync(bob, bobKey);
        byte[] tampered = Link(shopKey, desk.Name).AsSpan().ToArray();
        tampered[^1] ^= 0x01; // inside the signature: still well formed, it no longer verifies

        RpcException badSignature = await Assertions.RefusedAsync(StatusCode.InvalidArgument, "InvalidContactLink", () => ResolveAsync(alice, tampered));
        Assert.Contains("BadSignature", badSignature.Status.Detail, StringComparison.Ordinal);
        await Assertions.RefusedAsync(StatusCode.InvalidArgument, "InvalidContactLink", () => ResolveAsync(alice, []));
        await Assertions.RefusedAsync(StatusCode.InvalidArgument, "InvalidContactLink", () => ResolveAsync(alice, new byte[2000]));
        await Assertions.RefusedAsync(StatusCode.FailedPrecondition, "ContactLinkExpired", () => ResolveAsync(alice, Link(shopKey, desk.Name, Now - (2 * s_day), Now - s_day).AsSpan()));

        // A link correctly signed by a key the account never pinned: a forgery, or a directory's substitute.
        await Assertions.RefusedAsync(StatusCode.FailedPrecondition, "AccountKeyMismatch", () => ResolveAsync(alice, Link(forgerKey, desk.Name).AsSpan()));
        await Assertions.RefusedAsync(StatusCode.NotFound, "UnknownAccount", () => ResolveAsync(alice, Link(bobKey, bob.Name).AsSpan()));
        await Assertions.RefusedAsync(StatusCode.NotFound, "NoDeviceList", () => ResolveAsync(alice, Link(shopKey, unlisted).AsSpan()));
        await Assertions.RefusedAsync(StatusCode.Unauthenticated, "MissingToken", () => new Api.Accounts.AccountsClient(alice.Invoker).ResolveContactLinkAsync(new ResolveContactLinkRequest { SignedLink = ByteString.CopyFrom(Link(shopKey, desk.Name).AsSpan()) }).ResponseAsync);
    }
}
