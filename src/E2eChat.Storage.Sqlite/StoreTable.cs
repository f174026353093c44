namespace E2eChat.Storage.Sqlite;

/// <summary>
/// The tables whose values are sealed; the tag is part of every sealed value (with the row's key), so
/// that a value moved to another table or row no longer opens.
/// </summary>
internal enum StoreTable : byte
{
    /// <summary>Our identity key pair (one row).</summary>
    OwnIdentity = 1,

    /// <summary>Peers' identities by address hash.</summary>
    Identities = 2,

    /// <summary>Session records by address hash.</summary>
    Sessions = 3,

    /// <summary>Signed pre-keys by id.</summary>
    SignedPreKeys = 4,

    /// <summary>One-time X25519 pre-keys by id.</summary>
    OneTimePreKeys = 5,

    /// <summary>ML-KEM-768 pre-keys by id.</summary>
    KemPreKeys = 6,

    /// <summary>Sender-key records by name hash.</summary>
    SenderKeys = 7,

    /// <summary>The sender-key name itself (so that names can be listed), by name hash.</summary>
    SenderKeyNames = 8,

    /// <summary>Inbox entries (received, not yet handed over) by id.</summary>
    Inbox = 9,
}
