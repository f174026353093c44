namespace E2eChat.Storage.Sqlite;

/// <summary>
/// Why a <see cref="SqliteProtocolStore"/> refused a database file or a value in it. Carried by the
/// <see cref="Errors.E2eChatException"/> the store throws; nothing is changed when it is raised.
/// </summary>
public enum SqliteStoreFailure
{
    /// <summary>No failure.</summary>
    None = 0,

    /// <summary>
    /// A sealed value does not open under the storage key: the key is wrong, the value was changed, or
    /// it was copied from another row or table (every value is bound to where it is stored).
    /// </summary>
    Unauthentic,

    /// <summary>The file was written by a newer version of this package (its schema version is unknown): upgrade instead of discarding it.</summary>
    UnknownVersion,

    /// <summary>The file is not a store this package wrote: not an SQLite database, tables missing, or an authentic value that does not parse.</summary>
    Corrupt,
}
