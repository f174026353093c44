using System.Text;
using E2eChat.Wire;

namespace E2eChat.Client;

/// <summary>A group post (a sender-key message without expiry) decrypted, committed and recorded as received.</summary>
public sealed class GroupMessageReceived : ChatEvent
{
    private readonly byte[] _messageId;
    private readonly byte[] _body;

    internal GroupMessageReceived(ProtocolAddress sender, AccountKind senderKind, DistributionId groupId, ReadOnlySpan<byte> messageId, DateTimeOffset sentAt, ReadOnlySpan<byte> body)
    {
        Sender = sender;
        SenderKind = senderKind;
        GroupId = groupId;
        _messageId = messageId.ToArray();
        SentAt = sentAt;
        _body = body.ToArray();
    }

    /// <summary>The posting device (authenticated by its sender key's signature).</summary>
    public ProtocolAddress Sender { get; }

    /// <summary>The sender's account kind.</summary>
    public AccountKind SenderKind { get; }

    /// <summary>The group (its distribution id, shared by every member's sender key for it).</summary>
    public DistributionId GroupId { get; }

    /// <summary>The post's 16-byte message id.</summary>
    public ReadOnlyMemory<byte> MessageId => _messageId;

    /// <summary>When the sender says it posted (the envelope's timestamp).</summary>
    public DateTimeOffset SentAt { get; }

    /// <summary>The post's body.</summary>
    public ReadOnlyMemory<byte> Body => _body;

    /// <summary>The body as UTF-8 text (invalid sequences replaced).</summary>
    public string Text => Encoding.UTF8.GetString(_body);

    /// <summary>Names the sender, group and size, never the contents.</summary>
    /// <returns>A description.</returns>
    public override string ToString() => $"GroupMessageReceived(from {Sender} in {GroupId}, {_body.Length} bytes)";
}
