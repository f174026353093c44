namespace E2eChat;

/// <summary>What a receipt acknowledges (PROTOCOL.md section 13).</summary>
public enum ReceiptType
{
    /// <summary>Not a valid type.</summary>
    Unspecified = 0,

    /// <summary>The message reached the device.</summary>
    Delivered = 1,

    /// <summary>The message was shown to the reader.</summary>
    Read = 2,
}
