using E2eChat.Wire;

namespace E2eChat;

/// <summary>
/// What a relay routes: sender and recipient (public by design, for routing, metering and blocking),
/// a random message id for de-duplication, a timestamp, and one <see cref="CiphertextMessage"/>.
/// </summary>
public sealed class Envelope
{
    /// <summary>Length of <see cref="MessageId"/> in bytes.</summary>
    public const int MessageIdLength = 16;

    private readonly byte[] _messageId;

    /// <summary>Creates an envelope that carries no category: any except a business's pre-key or ratchet envelope to a person.</summary>
    /// <param name="sender">The sending device.</param>
    /// <param name="senderKind">Whether the sender is a person or a business.</param>
    /// <param name="recipient">The receiving device.</param>
    /// <param name="recipientKind">Whether the recipient is a person or a business.</param>
    /// <param name="messageId">16 random bytes.</param>
    /// <param name="timestampMilliseconds">Milliseconds since the Unix epoch; nonzero.</param>
    /// <param name="message">The encrypted message.</param>
    /// <exception cref="ArgumentException">
    /// A business's pre-key or ratchet envelope to a person: it needs a category (use the overload
    /// that takes one).
    /// </exception>
    public Envelope(ProtocolAddress sender, AccountKind senderKind, ProtocolAddress recipient, AccountKind recipientKind, ReadOnlySpan<byte> messageId, ulong timestampMilliseconds, CiphertextMessage message)
        : this(sender, senderKind, recipient, recipientKind, messageId, timestampMilliseconds, message, Category.Unspecified)
    {
    }

    /// <summary>
    /// Creates an envelope with a category (PROTOCOL.md sections 8 and 16.1): required exactly on a
    /// business's pre-key or ratchet envelope to a person (the relay enforces the customer's consent
    /// and bills by it), <see cref="Category.Unspecified"/> on every other envelope.
    /// </summary>
    /// <param name="sender">The sending device.</param>
    /// <param name="senderKind">Whether the sender is a person or a business.</param>
    /// <param name="recipient">The receiving device.</param>
    /// <param name="recipientKind">Whether the recipient is a person or a business.</param>
    /// <param name="messageId">16 random bytes.</param>
    /// <param name="timestampMilliseconds">Milliseconds since the Unix epoch; nonzero.</param>
    /// <param name="message">The encrypted message.</param>
    /// <param name="category">The business message's category, or <see cref="Category.Unspecified"/>.</param>
    /// <exception cref="ArgumentException">The category is missing where required, present where not, or not a defined category.</exception>
    public Envelope(ProtocolAddress sender, AccountKind senderKind, ProtocolAddress recipient, AccountKind recipientKind, ReadOnlySpan<byte> messageId, ulong timestampMilliseconds, CiphertextMessage message, Category category)
    {
        ArgumentNullException.ThrowIfNull(message);
        CheckKind(senderKind, nameof(senderKind));
        CheckKind(recipientKind, nameof(recipientKind));
        if (messageId.Length != MessageIdLength)
        {
            throw new ArgumentException($"Message ids are {MessageIdLength} bytes.", nameof(messageId));
        }

        ArgumentOutOfRangeException.ThrowIfZero(timestampMilliseconds);
        if (category is < Category.Unspecified or > Category.Authentication)
        {
            throw new ArgumentOutOfRangeException(nameof(category));
        }

        bool needsCategory = senderKind == AccountKind.Business && recipientKind == AccountKind.Person && message.Type is EnvelopeType.PreKey or EnvelopeType.Ratchet;
        if (needsCategory != (category != Category.Unspecified))
        {
            throw new ArgumentException(
                needsCategory ? "A business's message to a person carries its category." : "Only a business's pre-key or ratchet message to a person carries a category.",
                nameof(category));
        }

        Sender = sender;
        SenderKind = senderKind;
        Recipient = recipient;
        RecipientKind = recipientKind;
        _messageId = messageId.ToArray();
        TimestampMilliseconds = timestampMilliseconds;
        Message = message;
        Category = category;
    }

    /// <summary>The sending device.</summary>
    public ProtocolAddress Sender { get; }

    /// <summary>Person or business.</summary>
    public AccountKind SenderKind { get; }

    /// <summary>The receiving device.</summary>
    public ProtocolAddress Recipient { get; }

    /// <summary>Person or business.</summary>
    public AccountKind RecipientKind { get; }

    /// <summary>The random de-duplication id.</summary>
    public ReadOnlyMemory<byte> MessageId => _messageId;

    /// <summary>Milliseconds since the Unix epoch, by the sender's clock.</summary>
    public ulong TimestampMilliseconds { get; }

    /// <summary>The encrypted message.</summary>
    public CiphertextMessage Message { get; }

    /// <summary>The business message's category (envelope field 10); <see cref="Category.Unspecified"/> on other envelopes.</summary>
    public Category Category { get; }

    /// <summary>Describes routing fields only.</summary>
    /// <returns>A short description.</returns>
    public override string ToString() => $"{Message.Type} {Sender} -> {Recipient}";

    private static void CheckKind(AccountKind kind, string name)
    {
        if (kind is not (AccountKind.Person or AccountKind.Business))
        {
            throw new ArgumentOutOfRangeException(name);
        }
    }
}
