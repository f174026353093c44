using E2eChat.Wire;

namespace E2eChat;

/// <summary>
/// A copy of a message one device of an account sent, for the account's other devices (PROTOCOL.md
/// sections 13 and 14.4): with its original recipient, so every agent sees the whole conversation.
/// </summary>
public sealed class SyncMessage
{
    /// <summary>Creates a sync copy.</summary>
    /// <param name="recipient">The account the message was sent to.</param>
    /// <param name="recipientKind">Person or business.</param>
    /// <param name="message">The message sent.</param>
    /// <exception cref="ArgumentException">An argument breaks a rule of section 13.</exception>
    public SyncMessage(string recipient, AccountKind recipientKind, ApplicationMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!ProtocolAddress.IsValidName(recipient))
        {
            throw new ArgumentException("Not a valid account name.", nameof(recipient));
        }

        if (recipientKind is not (AccountKind.Person or AccountKind.Business))
        {
            throw new ArgumentOutOfRangeException(nameof(recipientKind));
        }

        Recipient = recipient;
        RecipientKind = recipientKind;
        Message = message;
    }

    /// <summary>The account the message was sent to.</summary>
    public string Recipient { get; }

    /// <summary>Person or business.</summary>
    public AccountKind RecipientKind { get; }

    /// <summary>The message.</summary>
    public ApplicationMessage Message { get; }

    /// <summary>Describes the copy (no contents).</summary>
    /// <returns>The recipient and the message description.</returns>
    public override string ToString() => $"SyncMessage(to {Recipient}: {Message})";
}
