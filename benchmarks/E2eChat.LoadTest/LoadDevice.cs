using System.Security.Cryptography;
using System.Text;
using E2eChat.Relay.Server.Api;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using NSec.Cryptography;
using RelayKind = E2eChat.Wire.AccountKind;

namespace E2eChat.LoadTest;

/// <summary>A device of the load test: an identity, a token, and envelopes of a realistic size.</summary>
internal sealed class LoadDevice(string name) : IDisposable
{
    private readonly IdentityKeyPair _identity = IdentityKeyPair.Generate();

    public string Name { get; } = name;

    public string? Token { get; private set; }

    public Metadata Headers(string? recipient = null)
    {
        var headers = new Metadata();
        if (Token is not null)
        {
            headers.Add("authorization", "Bearer " + Token);
        }

        if (recipient is not null)
        {
            headers.Add("x-recipient", recipient);
        }

        return headers;
    }

    public E2eChat.Relay.Server.Api.DeviceAddress Address => new() { Name = Name, Device = 1, Kind = E2eChat.Relay.Server.Api.AccountKind.Person };

    public async Task AuthenticateAsync(GrpcChannel channel, CancellationToken cancellationToken = default)
    {
        var auth = new Auth.AuthClient(channel);
        GetChallengeResponse challenge = await auth.GetChallengeAsync(new GetChallengeRequest(), cancellationToken: cancellationToken);
        var body = new List<byte> { (byte)challenge.RelayId.Length };
        body.AddRange(Encoding.ASCII.GetBytes(challenge.RelayId));
        body.AddRange(challenge.Challenge.ToByteArray());
        body.Add((byte)Name.Length);
        body.AddRange(Encoding.ASCII.GetBytes(Name));
        body.Add(1);
        body.Add(1);
        using SecretBuffer secret = _identity.ExportPrivateKey();
        using Key key = Key.Import(SignatureAlgorithm.Ed25519, secret.Span[..32], KeyBlobFormat.RawPrivateKey);
        byte[] signature = SignatureAlgorithm.Ed25519.Sign(key, [.. Encoding.ASCII.GetBytes("E2eChat/v1/relay-auth"), 0, .. body]);
        AuthenticateResponse response = await auth.AuthenticateAsync(new AuthenticateRequest
        {
            Device = Address,
            IdentityKey = ByteString.CopyFrom(_identity.PublicKey.AsSpan()),
            Challenge = challenge.Challenge,
            Signature = ByteString.CopyFrom(signature),
        }, cancellationToken: cancellationToken);
        Token = response.Token;
    }

    /// <summary>A valid ratchet envelope to <paramref name="to"/> with a 64-byte padded body (random ciphertext).</summary>
    public ByteString Envelope(string to)
    {
        byte[] body = new byte[2 + 80 + 2 + 80];
        body[0] = 0x0a;
        body[1] = 80;
        RandomNumberGenerator.Fill(body.AsSpan(2, 80));
        body[82] = 0x12;
        body[83] = 80;
        RandomNumberGenerator.Fill(body.AsSpan(84, 80));
        var envelope = new Envelope(new ProtocolAddress(Name, 1), RelayKind.Person, new ProtocolAddress(to, 1), RelayKind.Person, RandomNumberGenerator.GetBytes(16), 1_700_000_000_000, new CiphertextMessage(E2eChat.Wire.EnvelopeType.Ratchet, body));
        return ByteString.CopyFrom(EnvelopeCodec.Encode(envelope));
    }

    public void Dispose() => _identity.Dispose();
}
