using System.Text;
using E2eChat.Wire;

namespace E2eChat.Client;

/// <summary>A status post a device received and keeps until its signed expiry (then it is deleted: <see cref="ChatDevice.PurgeExpiredAsync"/>).</summary>
public sealed class StatusPost
{
    private readonly byte[] _messageId;
    private readonly byte[] _body;

    internal StatusPost(ProtocolAddress sender, AccountKind senderKind, ReadOnlySpan<byte> messageId, DateTimeOffset postedAt, DateTimeOffset expiresAt, ReadOnlySpan<byte> body)
    {
        Sender = sender;
        SenderKind = senderKind;
        _messageId = messageId.ToArray();
        PostedAt = postedAt;
        ExpiresAt = expiresAt;
        _body = body.ToArray();
    }

    /// <summary>The posting device.</summary>
    public ProtocolAddress Sender { get; }

    /// <summary>The posting account's kind.</summary>
    public AccountKind SenderKind { get; }

    /// <summary>The post's 16-byte message id.</summary>
    public ReadOnlyMemory<byte> MessageId => _messageId;

    /// <summary>When the sender says it posted (the envelope's timestamp).</summary>
    public DateTimeOffset PostedAt { get; }

    /// <summary>The signed expiry: after it the post is neither shown nor kept.</summary>
    public DateTimeOffset ExpiresAt { get; }

    /// <summary>The post's body.</summary>
    public ReadOnlyMemory<byte> Body => _body;

    /// <summary>The body as UTF-8 text (invalid sequences replaced).</summary>
    public string Text => Encoding.UTF8.GetString(_body);

    /// <summary>Names the sender and expiry, never the contents.</summary>
    /// <returns>A description.</returns>
    public override string ToString() => $"StatusPost(from {Sender}, expires {ExpiresAt:O})";

    internal static StatusPost FromRecord(StatusRecord record) => new(
        new ProtocolAddress(record.SenderName, record.SenderDevice),
        (AccountKind)record.SenderKind,
        Convert.FromHexString(record.MessageIdHex),
        DateTimeOffset.FromUnixTimeMilliseconds(record.PostedAtMilliseconds),
        DateTimeOffset.FromUnixTimeMilliseconds(record.ExpiresAtMilliseconds),
        record.Body);
}
