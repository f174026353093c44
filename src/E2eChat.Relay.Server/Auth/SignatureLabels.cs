using System.Text;

namespace E2eChat.Relay.Server.Auth;

/// <summary>The signature and MAC domains the relay uses (PROTOCOL.md sections 2 and 12).</summary>
internal static class SignatureLabels
{
    /// <summary>The identity binding (PROTOCOL.md 3.1).</summary>
    internal static readonly byte[] IdentityDhKey = Encoding.ASCII.GetBytes("E2eChat/v1/identity-dh-key");

    /// <summary>Signed pre-keys (PROTOCOL.md 3.2).</summary>
    internal static readonly byte[] SignedPreKey = Encoding.ASCII.GetBytes("E2eChat/v1/signed-prekey");

    /// <summary>KEM pre-keys (PROTOCOL.md 3.3).</summary>
    internal static readonly byte[] KemPreKey = Encoding.ASCII.GetBytes("E2eChat/v1/kem-prekey");

    /// <summary>A device's answer to a relay challenge (PROTOCOL.md 12.1).</summary>
    internal static readonly byte[] RelayAuth = Encoding.ASCII.GetBytes("E2eChat/v1/relay-auth");

    /// <summary>The MAC over a challenge (relay-internal, PROTOCOL.md 12.2).</summary>
    internal static readonly byte[] RelayChallenge = Encoding.ASCII.GetBytes("E2eChat/v1/relay-challenge");

    /// <summary>The MAC over a token (relay-internal, PROTOCOL.md 12.2).</summary>
    internal static readonly byte[] RelayToken = Encoding.ASCII.GetBytes("E2eChat/v1/relay-token");
}
