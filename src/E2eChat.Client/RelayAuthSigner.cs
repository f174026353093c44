using System.Text;
using E2eChat.Wire;
using NSec.Cryptography;

namespace E2eChat.Client;

/// <summary>The device's side of PROTOCOL.md 12.1: the signed body and its Ed25519 signature under the identity key.</summary>
internal static class RelayAuthSigner
{
    /// <summary>The signature domain, <c>E2eChat/v1/relay-auth</c>, followed by a zero byte.</summary>
    private static readonly byte[] s_domain = [.. Encoding.ASCII.GetBytes("E2eChat/v1/relay-auth"), 0];

    /// <summary>The longest relay name the spec allows.</summary>
    private const int MaxRelayIdLength = 255;

    /// <summary>Signs <c>u8(len(relay_id)) || relay_id || challenge || u8(len(name)) || name || u8(device) || u8(kind)</c>.</summary>
    public static byte[] Sign(IdentityKeyPair identity, string relayId, ReadOnlySpan<byte> challenge, ProtocolAddress device, AccountKind kind)
    {
        byte[] relay = Encoding.ASCII.GetBytes(relayId);
        byte[] name = Encoding.ASCII.GetBytes(device.Name);
        if (relay.Length > MaxRelayIdLength)
        {
            throw new ArgumentException("The relay id is too long.", nameof(relayId));
        }

        byte[] message = [.. s_domain, (byte)relay.Length, .. relay, .. challenge, (byte)name.Length, .. name, (byte)device.DeviceId, (byte)kind];
        using SecretBuffer secret = identity.ExportPrivateKey();
        using Key key = Key.Import(SignatureAlgorithm.Ed25519, secret.Span[..32], KeyBlobFormat.RawPrivateKey);
        return SignatureAlgorithm.Ed25519.Sign(key, message);
    }
}
