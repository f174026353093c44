using System.Text;
using E2eChat.Wire;

namespace E2eChat.Client;

/// <summary>A message decrypted, committed and recorded as received (it is never reported twice).</summary>
public sealed class MessageReceived : ChatEvent
{
    private readonly byte[] _messageId;
    private readonly byte[] _body;

    internal MessageReceived(ProtocolAddress sender, AccountKind senderKind, ReadOnlySpan<byte> messageId, DateTimeOffset sentAt, ReadOnlySpan<byte> body, Category category, string? syncRecipient)
    {
        Sender = sender;
        SenderKind = senderKind;
        _messageId = messageId.ToArray();
        SentAt = sentAt;
        _body = body.ToArray();
        Category = category;
        SyncRecipient = syncRecipient;
    }

    /// <summary>The sending device (authenticated by the session).</summary>
    public ProtocolAddress Sender { get; }

    /// <summary>The sender's account kind.</summary>
    public AccountKind SenderKind { get; }

    /// <summary>The sender's 16-byte message id (what receipts refer to).</summary>
    public ReadOnlyMemory<byte> MessageId => _messageId;

    /// <summary>When the sender says it sent the message (the envelope's timestamp).</summary>
    public DateTimeOffset SentAt { get; }

    /// <summary>The message body.</summary>
    public ReadOnlyMemory<byte> Body => _body;

    /// <summary>The body as UTF-8 text (invalid sequences replaced).</summary>
    public string Text => Encoding.UTF8.GetString(_body);

    /// <summary>A business's category (<see cref="Category.Unspecified"/> otherwise).</summary>
    public Category Category { get; }

    /// <summary>For a copy of a message another device of our own account sent: the account it was sent to; otherwise <see langword="null"/>.</summary>
    public string? SyncRecipient { get; }

    /// <summary>Whether this is a copy of our own account's message (sent by another of our devices).</summary>
    public bool IsSyncCopy => SyncRecipient is not null;

    /// <summary>Names the sender and size, never the contents.</summary>
    /// <returns>A description.</returns>
    public override string ToString() => $"MessageReceived(from {Sender}, {_body.Length} bytes{(IsSyncCopy ? ", sync copy" : string.Empty)})";
}
