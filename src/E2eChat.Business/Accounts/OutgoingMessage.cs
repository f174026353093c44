using E2eChat.Wire;

namespace E2eChat;

/// <summary>One envelope's worth of a fan-out: a device and the message encrypted for it.</summary>
public sealed class OutgoingMessage
{
    internal OutgoingMessage(ProtocolAddress recipient, AccountKind recipientKind, bool isSyncCopy, CiphertextMessage message)
    {
        Recipient = recipient;
        RecipientKind = recipientKind;
        IsSyncCopy = isSyncCopy;
        Message = message;
    }

    /// <summary>The device it is encrypted for.</summary>
    public ProtocolAddress Recipient { get; }

    /// <summary>The kind of the recipient's account.</summary>
    public AccountKind RecipientKind { get; }

    /// <summary>Whether it is a sync copy to another device of the sender's own account.</summary>
    public bool IsSyncCopy { get; }

    /// <summary>The encrypted message (wrap it in an envelope with the fan-out's message id).</summary>
    public CiphertextMessage Message { get; }

    /// <summary>Describes the message (no contents).</summary>
    /// <returns>Recipient and type.</returns>
    public override string ToString() => $"{Message.Type} to {Recipient}{(IsSyncCopy ? " (sync copy)" : string.Empty)}";
}
