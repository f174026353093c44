namespace E2eChat.Client;

/// <summary>The three id spaces of a device's pre-keys (one per store table, PROTOCOL.md 3.2-3.3).</summary>
internal enum PreKeyIdKind
{
    /// <summary>Signed X25519 pre-keys.</summary>
    Signed,

    /// <summary>One-time X25519 pre-keys.</summary>
    OneTime,

    /// <summary>ML-KEM-768 pre-keys, last-resort and one-time (one table).</summary>
    Kem,
}
