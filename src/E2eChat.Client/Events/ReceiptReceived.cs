
namespace E2eChat.Client;

/// <summary>A delivery or read receipt for one of our messages.</summary>
public sealed class ReceiptReceived : ChatEvent
{
    private readonly byte[] _messageId;

    internal ReceiptReceived(ProtocolAddress sender, ReceiptType type, ReadOnlySpan<byte> messageId)
    {
        Sender = sender;
        Type = type;
        _messageId = messageId.ToArray();
    }

    /// <summary>The device that sent the receipt.</summary>
    public ProtocolAddress Sender { get; }

    /// <summary>Delivered or read.</summary>
    public ReceiptType Type { get; }

    /// <summary>The id of our message it refers to.</summary>
    public ReadOnlyMemory<byte> MessageId => _messageId;

    /// <summary>Names the receipt.</summary>
    /// <returns>A description.</returns>
    public override string ToString() => $"ReceiptReceived({Type} from {Sender})";
}
