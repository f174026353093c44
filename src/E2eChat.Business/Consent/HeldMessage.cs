
namespace E2eChat;

/// <summary>A business's message held as a message request (section 17.4): not shown, no receipt sent.</summary>
public sealed class HeldMessage
{
    internal HeldMessage(Envelope envelope, ApplicationMessage message, InboxResult result)
    {
        Envelope = envelope;
        Message = message;
        Result = result;
    }

    /// <summary>The envelope it came in (sender, message id, category, time).</summary>
    public Envelope Envelope { get; }

    /// <summary>The decrypted message.</summary>
    public ApplicationMessage Message { get; }

    /// <summary>Why it was held.</summary>
    public InboxResult Result { get; }

    /// <summary>Names the sender and reason only (contents are private).</summary>
    /// <returns>A short description.</returns>
    public override string ToString() => $"Held from {Envelope.Sender.Name}: {Result}";
}
