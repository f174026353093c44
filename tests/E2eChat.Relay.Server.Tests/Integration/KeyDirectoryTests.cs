using E2eChat.Relay.Server.Api;
using Google.Protobuf;
using Grpc.Core;
using ClientBundle = E2eChat.PreKeyBundle;
using RelayKind = E2eChat.Wire.AccountKind;

namespace E2eChat.Relay.Server.Tests.Integration;

public sealed class KeyDirectoryTests(SharedRelayFixture fixture) : IClassFixture<SharedRelayFixture>
{
    private readonly RelayTestServer _server = fixture.Server;

    [Fact]
    public async Task FetchBundles_64ConcurrentFetches_NoOneTimeKeyTwiceAndEveryBundleVerifies()
    {
        using var shop = new TestDevice(_server, Names.New("shop"), kind: RelayKind.Business);
        using var alice = new TestDevice(_server, Names.New("alice"));
        await shop.AuthenticateAsync();
        await alice.AuthenticateAsync();
        PublishPreKeysResponse published = await shop.PublishKeysAsync(oneTime: 40, oneTimeKem: 24);
        Assert.Equal(40u, published.Count.OneTimePrekeys);
        Assert.Equal(24u, published.Count.OneTimeKemPrekeys);

        FetchBundlesResponse[] responses = await Task.WhenAll(Enumerable.Range(0, 64).Select(_ =>
            alice.Keys.FetchBundlesAsync(new FetchBundlesRequest { Name = shop.Name, Device = 1 }, alice.Call()).ResponseAsync));
        Api.PreKeyBundle[] bundles = responses.Select(r => r.Bundles.Single().Bundle).ToArray();
        uint[] oneTime = bundles.Where(b => b.OneTimePrekeyId != 0).Select(b => b.OneTimePrekeyId).ToArray();
        uint[] kem = bundles.Where(b => !b.KemPrekeyLastResort).Select(b => b.KemPrekeyId).ToArray();
        Assert.Equal(40, oneTime.Distinct().Count());
        Assert.Equal(40, oneTime.Length);
        Assert.Equal(24, kem.Distinct().Count());
        Assert.Equal(24, kem.Length);
        Assert.Equal(40, bundles.Count(b => b.KemPrekeyLastResort));

        // The client library verifies every bundle the relay assembled (PROTOCOL.md 3.4).
        foreach (Api.PreKeyBundle bundle in bundles)
        {
            Assert.True(ClientBundle.TryParse(bundle.ToByteArray(), out _, out E2eChat.E2eChatFailure failure), failure.ToString());
        }

        GetPreKeyCountResponse count = await shop.Keys.GetPreKeyCountAsync(new GetPreKeyCountRequest(), shop.Call());
        Assert.Equal(0u, count.Count.OneTimePrekeys);
        Assert.Equal(0u, count.Count.OneTimeKemPrekeys);
    }

    [Fact]
    public async Task FetchBundles_EveryDevice_ClaimsOnePerDeviceAndStartsASession()
    {
        string name = Names.New("shop");
        using var desk1 = new TestDevice(_server, name, 1, RelayKind.Business);
        using var desk2 = new TestDevice(_server, name, 2, RelayKind.Business);
        using var alice = new TestDevice(_server, Names.New("alice"));
        foreach (TestDevice d in new[] { desk1, desk2, alice })
        {
            await d.AuthenticateAsync();
        }

        await desk1.PublishKeysAsync(2);
        await desk2.PublishKeysAsync(2);
        FetchBundlesResponse response = await alice.Keys.FetchBundlesAsync(new FetchBundlesRequest { Name = name }, alice.Call());
        Assert.Equal([1u, 2u], response.Bundles.Select(b => b.Device.Device));
        ClientBundle bundle = ClientBundle.Parse(response.Bundles[0].Bundle.ToByteArray());
        await alice.Sessions.StartSessionAsync(desk1.Address, bundle);
        Assert.Equal(1u, (await desk1.Keys.GetPreKeyCountAsync(new GetPreKeyCountRequest(), desk1.Call())).Count.OneTimePrekeys);
    }

    [Fact]
    public async Task PublishPreKeys_BadSignatureOrKey_InvalidArgumentNothingStored()
    {
        using var shop = new TestDevice(_server, Names.New("shop"), kind: RelayKind.Business);
        using var other = new TestDevice(_server, Names.New("other"));
        await shop.AuthenticateAsync();
        await other.AuthenticateAsync();
        await other.PublishKeysAsync(1);

        // Keys signed by another identity.
        using var signed = E2eChat.SignedPreKey.Generate(other.Identity, 7);
        var request = new PublishPreKeysRequest { Device = shop.ApiAddress, SignedPrekey = new Api.SignedPreKey { Id = 7, PublicKey = ByteString.CopyFrom(signed.PublicKey), Signature = ByteString.CopyFrom(signed.Signature) } };
        await Assertions.RefusedAsync(StatusCode.InvalidArgument, "InvalidPreKey", () => shop.Keys.PublishPreKeysAsync(request, shop.Call()).ResponseAsync);

        // A low-order one-time key.
        request = new PublishPreKeysRequest { Device = shop.ApiAddress };
        request.OneTimePrekeys.Add(new Api.OneTimePreKey { Id = 9, PublicKey = ByteString.CopyFrom(new byte[32]) });
        await Assertions.RefusedAsync(StatusCode.InvalidArgument, "InvalidPreKey", () => shop.Keys.PublishPreKeysAsync(request, shop.Call()).ResponseAsync);

        // Too many in one upload.
        request = new PublishPreKeysRequest { Device = shop.ApiAddress };
        for (uint i = 1; i <= 101; i++)
        {
            using var key = E2eChat.OneTimePreKey.Generate(i);
            request.OneTimePrekeys.Add(new Api.OneTimePreKey { Id = i, PublicKey = ByteString.CopyFrom(key.PublicKey) });
        }

        await Assertions.RefusedAsync(StatusCode.ResourceExhausted, "TooManyPreKeys", () => shop.Keys.PublishPreKeysAsync(request, shop.Call()).ResponseAsync);
        Assert.Equal(0u, (await shop.Keys.GetPreKeyCountAsync(new GetPreKeyCountRequest(), shop.Call())).Count.OneTimePrekeys);
        await Assertions.RefusedAsync(StatusCode.FailedPrecondition, "NoPreKeys", () => other.Keys.FetchBundlesAsync(new FetchBundlesRequest { Name = shop.Name, Device = 1 }, other.Call()).ResponseAsync);
        await Assertions.RefusedAsync(StatusCode.NotFound, "UnknownAccount", () => other.Keys.FetchBundlesAsync(new FetchBundlesRequest { Name = Names.New("nobody") }, other.Call()).ResponseAsync);
    }
}
