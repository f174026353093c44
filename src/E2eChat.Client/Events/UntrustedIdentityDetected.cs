namespace E2eChat.Client;

/// <summary>
/// A message from a device whose identity is no longer the one trusted for it: it was not decrypted
/// (PROTOCOL.md 8.1). The app asks its user before trusting the new identity.
/// </summary>
public sealed class UntrustedIdentityDetected : ChatEvent
{
    internal UntrustedIdentityDetected(ProtocolAddress sender) => Sender = sender;

    /// <summary>The device the message claims to be from.</summary>
    public ProtocolAddress Sender { get; }

    /// <summary>Names the device.</summary>
    /// <returns>A description.</returns>
    public override string ToString() => $"UntrustedIdentityDetected({Sender})";
}
