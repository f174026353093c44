using ContentSchema = E2eChat.Wire.FieldNumbers.Content;

namespace E2eChat;

/// <summary>Which field of a <see cref="Content"/> is present (PROTOCOL.md section 13); each value is that field's number.</summary>
public enum ContentKind
{
    /// <summary>An application message.</summary>
    Message = ContentSchema.MessageFieldNumber,

    /// <summary>A sender-key distribution (section 7).</summary>
    SenderKeyDistribution = ContentSchema.SenderKeyDistributionFieldNumber,

    /// <summary>A signed device list of the sender's account (section 14).</summary>
    DeviceList = ContentSchema.DeviceListFieldNumber,

    /// <summary>A delivery or read receipt.</summary>
    Receipt = ContentSchema.ReceiptFieldNumber,

    /// <summary>A copy of a message another device of the sender's account sent.</summary>
    Sync = ContentSchema.SyncFieldNumber,

    /// <summary>A signed consent or block record (section 16).</summary>
    Consent = ContentSchema.ConsentFieldNumber,
}
