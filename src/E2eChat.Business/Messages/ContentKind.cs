namespace E2eChat;

/// <summary>Which field of a <see cref="Content"/> is present (PROTOCOL.md section 13).</summary>
public enum ContentKind
{
    /// <summary>An application message.</summary>
    Message = 1,

    /// <summary>A sender-key distribution (section 7).</summary>
    SenderKeyDistribution = 2,

    /// <summary>A signed device list of the sender's account (section 14).</summary>
    DeviceList = 3,

    /// <summary>A delivery or read receipt.</summary>
    Receipt = 4,

    /// <summary>A copy of a message another device of the sender's account sent.</summary>
    Sync = 5,

    /// <summary>A signed consent or block record (section 16).</summary>
    Consent = 6,
}
