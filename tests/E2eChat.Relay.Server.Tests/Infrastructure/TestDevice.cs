using System.Security.Cryptography;
using E2eChat.Relay.Server.Api;
using KemPreKey = E2eChat.KemPreKey;
using OneTimePreKey = E2eChat.OneTimePreKey;
using SignedPreKey = E2eChat.SignedPreKey;
using Google.Protobuf;
using Grpc.Core;
using Category = E2eChat.Wire.Category;
using EnvelopeType = E2eChat.Wire.EnvelopeType;
using RelayKind = E2eChat.Wire.AccountKind;

namespace E2eChat.Relay.Server.Tests.Infrastructure;

/// <summary>A client device as the tests drive it: a real identity, real pre-keys and envelopes, the generated gRPC clients.</summary>
internal sealed class TestDevice : IDisposable
{
    private static uint s_nextKeyId = 1000;
    private readonly RelayTestServer? _server;
    private readonly Func<GrpcChannelHolder>? _channel;

    public TestDevice(RelayTestServer server, string name, int device = 1, RelayKind kind = RelayKind.Person, IdentityKeyPair? identity = null)
        : this(name, device, kind, identity)
    {
        _server = server;
    }

    public TestDevice(Func<GrpcChannelHolder> channel, string name, int device = 1, RelayKind kind = RelayKind.Person, IdentityKeyPair? identity = null)
        : this(name, device, kind, identity)
    {
        _channel = channel;
    }

    private TestDevice(string name, int device, RelayKind kind, IdentityKeyPair? identity)
    {
        Name = name;
        Device = device;
        Kind = kind;
        Identity = identity ?? IdentityKeyPair.Generate();
        Stores = ProtocolStores.CreateInMemory(Identity);
        Sessions = new SessionManager(Stores, new ProtocolAddress(name, (uint)device));
    }

    public string Name { get; }

    public int Device { get; }

    public RelayKind Kind { get; }

    public IdentityKeyPair Identity { get; }

    public ProtocolStores Stores { get; }

    public SessionManager Sessions { get; }

    public ProtocolAddress Address => new(Name, (uint)Device);

    public Api.DeviceAddress ApiAddress => new() { Name = Name, Device = (uint)Device, Kind = (Api.AccountKind)(int)Kind };

    public string? Token { get; set; }

    public CallInvoker Invoker => _server?.Channel.CreateCallInvoker() ?? _channel!().Channel.CreateCallInvoker();

    public Api.Auth.AuthClient Auth => new(Invoker);

    public Api.Keys.KeysClient Keys => new(Invoker);

    public Api.Messaging.MessagingClient Messaging => new(Invoker);

    public Api.Billing.BillingClient Billing => new(Invoker);

    public Api.Accounts.AccountsClient Accounts => new(Invoker);

    public CallOptions Call(CancellationToken cancellationToken = default) =>
        new(new Metadata { { "authorization", "Bearer " + Token } }, cancellationToken: cancellationToken);

    public static uint NextKeyId() => Interlocked.Increment(ref s_nextKeyId);

    /// <summary>Signs a fresh challenge and stores the token.</summary>
    public async Task<AuthenticateResponse> AuthenticateAsync()
    {
        GetChallengeResponse challenge = await Auth.GetChallengeAsync(new GetChallengeRequest());
        byte[] body = AuthSigning.Body(challenge.RelayId, challenge.Challenge.ToByteArray(), Name, Device, (int)Kind);
        AuthenticateResponse response = await Auth.AuthenticateAsync(new AuthenticateRequest
        {
            Device = ApiAddress,
            IdentityKey = ByteString.CopyFrom(Identity.PublicKey.AsSpan()),
            Challenge = challenge.Challenge,
            Signature = ByteString.CopyFrom(AuthSigning.Sign(Identity, body)),
        });
        Token = response.Token;
        return response;
    }

    /// <summary>Generates a signed pre-key, a last-resort KEM pre-key and one-time keys, saves them for sessions, and publishes them.</summary>
    public async Task<PublishPreKeysResponse> PublishKeysAsync(int oneTime, int oneTimeKem = -1)
    {
        oneTimeKem = oneTimeKem < 0 ? oneTime : oneTimeKem;
        var request = new PublishPreKeysRequest { Device = ApiAddress };
        using (SignedPreKey signed = SignedPreKey.Generate(Identity, NextKeyId()))
        {
            await Stores.SignedPreKeys.SaveSignedPreKeyAsync(signed);
            request.SignedPrekey = new Api.SignedPreKey { Id = signed.Id, PublicKey = ByteString.CopyFrom(signed.PublicKey), Signature = ByteString.CopyFrom(signed.Signature) };
        }

        using (KemPreKey lastResort = KemPreKey.Generate(Identity, NextKeyId(), KemPreKeyKind.LastResort))
        {
            await Stores.KemPreKeys.SaveKemPreKeyAsync(lastResort);
            request.LastResortKemPrekey = new Api.KemPreKey { Id = lastResort.Id, PublicKey = ByteString.CopyFrom(lastResort.PublicKey), Signature = ByteString.CopyFrom(lastResort.Signature) };
        }

        for (int i = 0; i < oneTime; i++)
        {
            using OneTimePreKey key = OneTimePreKey.Generate(NextKeyId());
            await Stores.OneTimePreKeys.SaveOneTimePreKeyAsync(key);
            request.OneTimePrekeys.Add(new Api.OneTimePreKey { Id = key.Id, PublicKey = ByteString.CopyFrom(key.PublicKey) });
        }

        for (int i = 0; i < oneTimeKem; i++)
        {
            using KemPreKey key = KemPreKey.Generate(Identity, NextKeyId(), KemPreKeyKind.OneTime);
            await Stores.KemPreKeys.SaveKemPreKeyAsync(key);
            request.OneTimeKemPrekeys.Add(new Api.KemPreKey { Id = key.Id, PublicKey = ByteString.CopyFrom(key.PublicKey), Signature = ByteString.CopyFrom(key.Signature) });
        }

        return await Keys.PublishPreKeysAsync(request, Call());
    }

    /// <summary>A valid ratchet envelope from this device (random ciphertext: the relay cannot tell).</summary>
    public byte[] RatchetEnvelope(TestDevice to, byte[]? messageId = null) =>
        Envelope(to.Address, to.Kind, TestEnvelopes.RandomRatchetMessage(), messageId);

    /// <summary>
    /// An envelope carrying <paramref name="message"/>; a business's pre-key or ratchet envelope to a
    /// person carries <paramref name="category"/> (service unless given), any other none.
    /// </summary>
    public byte[] Envelope(ProtocolAddress to, RelayKind toKind, CiphertextMessage message, byte[]? messageId = null, Category category = Category.Service) =>
        EnvelopeCodec.Encode(new Envelope(
            Address,
            Kind,
            to,
            toKind,
            messageId ?? RandomNumberGenerator.GetBytes(16),
            1_700_000_000_000,
            message,
            Kind == RelayKind.Business && toKind == RelayKind.Person && message.Type is EnvelopeType.PreKey or EnvelopeType.Ratchet ? category : Category.Unspecified));

    /// <summary>Sends envelopes and returns the response.</summary>
    public async Task<SendResponse> SendAsync(params byte[][] envelopes)
    {
        var request = new SendRequest();
        foreach (byte[] envelope in envelopes)
        {
            request.Envelopes.Add(ByteString.CopyFrom(envelope));
        }

        return await Messaging.SendAsync(request, Call());
    }

    /// <summary>Opens a receive stream.</summary>
    public async Task<ReceiveStream> ReceiveAsync()
    {
        var stream = new ReceiveStream(Messaging.Receive(Call()));
        await stream.StartAsync(ApiAddress);
        return stream;
    }

    public void Dispose()
    {
        Sessions.Dispose();
        Identity.Dispose();
    }
}
