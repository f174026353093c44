using E2eChat.Relay.Server.Api;
using Google.Protobuf;
using Grpc.Core;
using RelayKind = E2eChat.Wire.AccountKind;

namespace E2eChat.Relay.Server.Tests.Integration;

public sealed class AuthenticationTests(SharedRelayFixture fixture) : IClassFixture<SharedRelayFixture>
{
    private readonly RelayTestServer _server = fixture.Server;

    [Fact]
    public async Task Authenticate_ValidSignature_RegistersOnceAndTokenWorks()
    {
        using var alice = new TestDevice(_server, Names.New("alice"));
        Assert.True((await alice.AuthenticateAsync()).Registered);
        Assert.False((await alice.AuthenticateAsync()).Registered);
        GetPreKeyCountResponse count = await alice.Keys.GetPreKeyCountAsync(new GetPreKeyCountRequest(), alice.Call());
        Assert.Equal(0u, count.Count.OneTimePrekeys);
    }

    [Fact]
    public async Task Authenticate_ForgedSignature_Unauthenticated()
    {
        using var alice = new TestDevice(_server, Names.New("alice"));
        using var mallory = IdentityKeyPair.Generate();
        GetChallengeResponse challenge = await alice.Auth.GetChallengeAsync(new GetChallengeRequest());
        byte[] body = AuthSigning.Body(challenge.RelayId, challenge.Challenge.ToByteArray(), alice.Name, 1, 1);
        await Assertions.RefusedAsync(StatusCode.Unauthenticated, "BadSignature", () => alice.Auth.AuthenticateAsync(Request(alice, challenge.Challenge, AuthSigning.Sign(mallory, body))).ResponseAsync);

        // A signature over another relay's name or another device does not verify either.
        byte[] otherRelay = AuthSigning.Body("other-relay", challenge.Challenge.ToByteArray(), alice.Name, 1, 1);
        await Assertions.RefusedAsync(StatusCode.Unauthenticated, "BadSignature", () => alice.Auth.AuthenticateAsync(Request(alice, challenge.Challenge, AuthSigning.Sign(alice.Identity, otherRelay))).ResponseAsync);
        byte[] otherDevice = AuthSigning.Body(challenge.RelayId, challenge.Challenge.ToByteArray(), alice.Name, 2, 1);
        await Assertions.RefusedAsync(StatusCode.Unauthenticated, "BadSignature", () => alice.Auth.AuthenticateAsync(Request(alice, challenge.Challenge, AuthSigning.Sign(alice.Identity, otherDevice))).ResponseAsync);
    }

    [Fact]
    public async Task Authenticate_ReplayedChallenge_Unauthenticated()
    {
        using var alice = new TestDevice(_server, Names.New("alice"));
        GetChallengeResponse challenge = await alice.Auth.GetChallengeAsync(new GetChallengeRequest());
        byte[] signature = AuthSigning.Sign(alice.Identity, AuthSigning.Body(challenge.RelayId, challenge.Challenge.ToByteArray(), alice.Name, 1, 1));
        await alice.Auth.AuthenticateAsync(Request(alice, challenge.Challenge, signature));
        await Assertions.RefusedAsync(StatusCode.Unauthenticated, "ChallengeReplayed", () => alice.Auth.AuthenticateAsync(Request(alice, challenge.Challenge, signature)).ResponseAsync);
    }

    [Fact]
    public async Task Authenticate_ChallengeNotIssuedHere_Unauthenticated()
    {
        using var alice = new TestDevice(_server, Names.New("alice"));
        GetChallengeResponse challenge = await alice.Auth.GetChallengeAsync(new GetChallengeRequest());
        byte[] forged = challenge.Challenge.ToByteArray();
        forged[0] ^= 1;
        byte[] signature = AuthSigning.Sign(alice.Identity, AuthSigning.Body(challenge.RelayId, forged, alice.Name, 1, 1));
        await Assertions.RefusedAsync(StatusCode.Unauthenticated, "BadChallenge", () => alice.Auth.AuthenticateAsync(Request(alice, ByteString.CopyFrom(forged), signature)).ResponseAsync);
    }

    [Fact]
    public async Task Authenticate_AnotherIdentityForARegisteredDevice_PermissionDenied()
    {
        string name = Names.New("alice");
        using var alice = new TestDevice(_server, name);
        await alice.AuthenticateAsync();
        using var impostor = new TestDevice(_server, name);
        await Assertions.RefusedAsync(StatusCode.PermissionDenied, "IdentityMismatch", impostor.AuthenticateAsync);
        using var otherKind = new TestDevice(_server, name, device: 2, kind: RelayKind.Business);
        await Assertions.RefusedAsync(StatusCode.PermissionDenied, "AccountKindMismatch", otherKind.AuthenticateAsync);
    }

    [Fact]
    public async Task Authenticate_InvalidIdentityOrAddress_InvalidArgument()
    {
        using var alice = new TestDevice(_server, Names.New("alice"));
        GetChallengeResponse challenge = await alice.Auth.GetChallengeAsync(new GetChallengeRequest());
        AuthenticateRequest request = Request(alice, challenge.Challenge, new byte[64]);
        byte[] identity = alice.Identity.PublicKey.ToBytes();
        identity[100] ^= 1;
        request.IdentityKey = ByteString.CopyFrom(identity);
        await Assertions.RefusedAsync(StatusCode.InvalidArgument, "InvalidIdentityKey", () => alice.Auth.AuthenticateAsync(request).ResponseAsync);
        request = Request(alice, challenge.Challenge, new byte[64]);
        request.Device.Name = "Alice!";
        await Assertions.RefusedAsync(StatusCode.InvalidArgument, "InvalidAddress", () => alice.Auth.AuthenticateAsync(request).ResponseAsync);
    }

    [Fact]
    public async Task Calls_WithoutOrWithBadTokens_Unauthenticated()
    {
        using var alice = new TestDevice(_server, Names.New("alice"));
        await alice.AuthenticateAsync();
        string valid = alice.Token!;
        await Assertions.RefusedAsync(StatusCode.Unauthenticated, "MissingToken", () => alice.Keys.GetPreKeyCountAsync(new GetPreKeyCountRequest()).ResponseAsync);
        alice.Token = "not a token";
        await Assertions.RefusedAsync(StatusCode.Unauthenticated, "MalformedToken", () => alice.Keys.GetPreKeyCountAsync(new GetPreKeyCountRequest(), alice.Call()).ResponseAsync);
        char[] tampered = valid.ToCharArray();
        tampered[12] = tampered[12] == 'A' ? 'B' : 'A';
        alice.Token = new string(tampered);
        await Assertions.RefusedAsync(StatusCode.Unauthenticated, "BadToken", () => alice.Keys.GetPreKeyCountAsync(new GetPreKeyCountRequest(), alice.Call()).ResponseAsync);
    }

    [Fact]
    public async Task SomeoneElsesToken_CannotReadPublishOrSendAsThem()
    {
        using var alice = new TestDevice(_server, Names.New("alice"));
        using var bob = new TestDevice(_server, Names.New("bob"));
        await alice.AuthenticateAsync();
        await bob.AuthenticateAsync();
        using var aliceWithBobsToken = new TestDevice(_server, alice.Name, identity: null) { Token = bob.Token };

        using (ReceiveStream stream = await aliceWithBobsToken.ReceiveAsync())
        {
            RpcException? ended = await stream.ReadToEndAsync();
            Assert.NotNull(ended);
            Assert.Equal(StatusCode.PermissionDenied, ended.StatusCode);
            Assert.Equal("NotYourDevice", ended.Trailers.GetValue("e2echat-failure"));
        }

        await Assertions.RefusedAsync(StatusCode.PermissionDenied, "NotYourDevice", () => aliceWithBobsToken.Keys.PublishPreKeysAsync(new PublishPreKeysRequest { Device = alice.ApiAddress }, aliceWithBobsToken.Call()).ResponseAsync);
        RpcException ex = await Assertions.RefusedAsync(StatusCode.PermissionDenied, "SenderMismatch", () => aliceWithBobsToken.SendAsync(alice.RatchetEnvelope(bob)));
        Assert.Equal("0", ex.Trailers.GetValue("e2echat-index"));
    }

    [Fact]
    public async Task Health_Serving()
    {
        var health = new Grpc.Health.V1.Health.HealthClient(_server.Channel);
        Grpc.Health.V1.HealthCheckResponse response = await health.CheckAsync(new Grpc.Health.V1.HealthCheckRequest());
        Assert.Equal(Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus.Serving, response.Status);
    }

    private static AuthenticateRequest Request(TestDevice device, ByteString challenge, byte[] signature) => new()
    {
        Device = device.ApiAddress,
        IdentityKey = ByteString.CopyFrom(device.Identity.PublicKey.AsSpan()),
        Challenge = challenge,
        Signature = ByteString.CopyFrom(signature),
    };
}
