namespace E2eChat;

/// <summary>A delivery or read receipt for one envelope (PROTOCOL.md section 13).</summary>
public sealed class Receipt
{
    private readonly byte[] _messageId;

    /// <summary>Creates a receipt.</summary>
    /// <param name="type">Delivered or read.</param>
    /// <param name="messageId">The 16-byte <c>message_id</c> of the envelope acknowledged.</param>
    /// <exception cref="ArgumentException">An argument breaks a rule of section 13.</exception>
    public Receipt(ReceiptType type, ReadOnlySpan<byte> messageId)
    {
        if (type is not (ReceiptType.Delivered or ReceiptType.Read))
        {
            throw new ArgumentOutOfRangeException(nameof(type));
        }

        if (messageId.Length != 16)
        {
            throw new ArgumentException("A message id is 16 bytes.", nameof(messageId));
        }

        Type = type;
        _messageId = messageId.ToArray();
    }

    /// <summary>Delivered or read.</summary>
    public ReceiptType Type { get; }

    /// <summary>The message id acknowledged.</summary>
    public ReadOnlyMemory<byte> MessageId => _messageId;

    /// <summary>Describes the receipt.</summary>
    /// <returns>Type and message id.</returns>
    public override string ToString() => $"Receipt({Type} {Convert.ToHexStringLower(_messageId)})";
}
