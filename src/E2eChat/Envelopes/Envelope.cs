using E2eChat.Wire;

namespace E2eChat.Envelopes;

/// <summary>
/// What a relay routes: sender and recipient (public by design, for routing, metering and blocking),
/// a random message id for de-duplication, a timestamp, and one <see cref="CiphertextMessage"/>.
/// </summary>
public sealed class Envelope
{
    /// <summary>Length of <see cref="MessageId"/> in bytes.</summary>
    public const int MessageIdLength = 16;

    private readonly byte[] _messageId;

    /// <summary>Creates an envelope.</summary>
    /// <param name="sender">The sending device.</param>
    /// <param name="senderKind">Whether the sender is a person or a business.</param>
    /// <param name="recipient">The receiving device.</param>
    /// <param name="recipientKind">Whether the recipient is a person or a business.</param>
    /// <param name="messageId">16 random bytes.</param>
    /// <param name="timestampMilliseconds">Milliseconds since the Unix epoch; nonzero.</param>
    /// <param name="message">The encrypted message.</param>
    public Envelope(ProtocolAddress sender, AccountKind senderKind, ProtocolAddress recipient, AccountKind recipientKind, ReadOnlySpan<byte> messageId, ulong timestampMilliseconds, CiphertextMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        CheckKind(senderKind, nameof(senderKind));
        CheckKind(recipientKind, nameof(recipientKind));
        if (messageId.Length != MessageIdLength)
        {
            throw new ArgumentException($"Message ids are {MessageIdLength} bytes.", nameof(messageId));
        }

        ArgumentOutOfRangeException.ThrowIfZero(timestampMilliseconds);
        Sender = sender;
        SenderKind = senderKind;
        Recipient = recipient;
        RecipientKind = recipientKind;
        _messageId = messageId.ToArray();
        TimestampMilliseconds = timestampMilliseconds;
        Message = message;
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
