namespace E2eChat.Client;

/// <summary>
/// A delivery that broke a rule: an envelope that does not parse, one for another device, a message
/// that does not decrypt, or a content that breaks section 13 (for example a business message whose
/// category does not match its envelope). Nothing was shown or stored; the delivery was acknowledged.
/// </summary>
public sealed class ViolationDetected : ChatEvent
{
    internal ViolationDetected(ProtocolAddress? sender, E2eChatFailure failure)
    {
        Sender = sender;
        Failure = failure;
    }

    /// <summary>The sender the envelope names, or <see langword="null"/> when it did not parse.</summary>
    public ProtocolAddress? Sender { get; }

    /// <summary>The typed failure: an envelope, decryption, handshake, state or content failure, or one of the client's own.</summary>
    public E2eChatFailure Failure { get; }

    /// <summary>Names the failure.</summary>
    /// <returns>A description.</returns>
    public override string ToString() => $"ViolationDetected({Failure}{(Sender is { } sender ? $" from {sender}" : string.Empty)})";
}
