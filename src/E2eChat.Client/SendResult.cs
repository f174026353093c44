namespace E2eChat.Client;

/// <summary>The outcome of sending one message to one device.</summary>
public sealed class SendResult
{
    private readonly byte[] _messageId;

    internal SendResult(ProtocolAddress recipient, ReadOnlySpan<byte> messageId, SendStatus status, string reason, int attempts)
    {
        Recipient = recipient;
        _messageId = messageId.ToArray();
        Status = status;
        Reason = reason;
        Attempts = attempts;
    }

    /// <summary>The recipient device.</summary>
    public ProtocolAddress Recipient { get; }

    /// <summary>The message id (stable across retries; receipts refer to it).</summary>
    public ReadOnlyMemory<byte> MessageId => _messageId;

    /// <summary>What became of the envelope.</summary>
    public SendStatus Status { get; }

    /// <summary>Whether the relay stored the message.</summary>
    public bool IsAccepted => Status == SendStatus.Accepted;

    /// <summary>The relay's reason code for a refusal (e.g. a policy reason or a <c>RelayFailure</c> name), or empty.</summary>
    public string Reason { get; }

    /// <summary>How many times the envelope was sent (1 without retries).</summary>
    public int Attempts { get; }

    /// <summary>Names the outcome.</summary>
    /// <returns>A description.</returns>
    public override string ToString() => $"{Status} to {Recipient}{(Reason.Length > 0 ? $" ({Reason})" : string.Empty)}";
}
