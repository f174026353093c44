using System.Text;
using NSec.Cryptography;

namespace E2eChat.Relay.Server.Tests.Infrastructure;

/// <summary>A device's side of PROTOCOL.md 12.1, written from the spec (not from the server's code).</summary>
internal static class AuthSigning
{
    public static byte[] Body(string relayId, byte[] challenge, string name, int device, int kind)
    {
        var body = new List<byte> { (byte)relayId.Length };
        body.AddRange(Encoding.ASCII.GetBytes(relayId));
        body.AddRange(challenge);
        body.Add((byte)name.Length);
        body.AddRange(Encoding.ASCII.GetBytes(name));
        body.Add((byte)device);
        body.Add((byte)kind);
        return [.. body];
    }

    public static byte[] Sign(IdentityKeyPair identity, byte[] body)
    {
        using SecretBuffer secret = identity.ExportPrivateKey();
        using Key key = Key.Import(SignatureAlgorithm.Ed25519, secret.Span[..32], KeyBlobFormat.RawPrivateKey);
        byte[] message = [.. Encoding.ASCII.GetBytes("E2eChat/v1/relay-auth"), 0, .. body];
        return SignatureAlgorithm.Ed25519.Sign(key, message);
    }
}
