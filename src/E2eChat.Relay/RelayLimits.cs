namespace E2eChat.Relay;

/// <summary>Bounds the relay enforces on every envelope, each with its reason.</summary>
public static class RelayLimits
{
    /// <summary>
    /// The largest envelope accepted, in bytes. Anchor: Signal's server refuses device messages
    /// over 96 KiB; E2eChat's largest padded plaintext (80 KiB, see PROTOCOL.md) plus headers fits.
    /// </summary>
    public const int MaxEnvelopeLength = 96 * 1024;
}
