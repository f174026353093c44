namespace E2eChat;

/// <summary>The kind of an ML-KEM-768 pre-key (PROTOCOL.md section 3.3); the value is the signed byte.</summary>
public enum KemPreKeyKind
{
    /// <summary>Kept after use; published when no one-time KEM pre-key is left.</summary>
    LastResort = 0x01,

    /// <summary>Deleted after the first handshake that uses it.</summary>
    OneTime = 0x02,
}
