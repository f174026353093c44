namespace E2eChat.Storage.Sqlite;

/// <summary>
/// The database schema, versioned in the <c>schema_version</c> table. Version 1 is frozen (a fixture
/// file of it is kept by the tests and must keep loading); version 2 adds the inbox table, and a
/// version 1 file is migrated to it when opened (<see cref="MigrateVersion1To2"/>, one transaction).
/// Addresses and sender-key names appear only as keyed hashes; every value column holds sealed bytes.
/// </summary>
internal static class SqliteStoreSchema
{
    /// <summary>The schema version this build writes and reads.</summary>
    internal const long CurrentVersion = 2;

    /// <summary>
    /// How long a statement waits for a lock held by another connection to the same file (another
    /// process), in milliseconds, before it fails: long enough for a burst of commits, short enough to
    /// surface a stuck writer.
    /// </summary>
    internal const int BusyTimeoutMilliseconds = 10_000;

    /// <summary>Creates version 1 (run in one transaction on an empty file).</summary>
    internal const string CreateVersion1 = """
        CREATE TABLE schema_version (version INTEGER NOT NULL);
        CREATE TABLE own_identity (id INTEGER PRIMARY KEY CHECK (id = 1), value BLOB NOT NULL);
        CREATE TABLE identities (address BLOB PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID;
        CREATE TABLE sessions (address BLOB PRIMARY KEY, version INTEGER NOT NULL, record BLOB NULL) WITHOUT ROWID;
        CREATE TABLE signed_pre_keys (id INTEGER PRIMARY KEY, value BLOB NOT NULL);
        CREATE TABLE one_time_pre_keys (id INTEGER PRIMARY KEY, value BLOB NOT NULL);
        CREATE TABLE kem_pre_keys (id INTEGER PRIMARY KEY, value BLOB NOT NULL);
        CREATE TABLE sender_keys (name BLOB PRIMARY KEY, version INTEGER NOT NULL, sealed_name BLOB NOT NULL, record BLOB NULL) WITHOUT ROWID;
        INSERT INTO schema_version (version) VALUES (1);
        """;

    /// <summary>Turns a version 1 file into version 2 (run in one transaction): the inbox of received entries not yet handed over.</summary>
    internal const string MigrateVersion1To2 = """
        CREATE TABLE inbox (id INTEGER PRIMARY KEY, value BLOB NOT NULL);
        UPDATE schema_version SET version = 2;
        """;

    /// <summary>The tables version 1 has; a version 1 file with some other set is not one of ours.</summary>
    internal static readonly string[] Version1Tables =
        ["identities", "kem_pre_keys", "one_time_pre_keys", "own_identity", "schema_version", "sender_keys", "sessions", "signed_pre_keys"];

    /// <summary>The tables version 2 has; a file with some other set is not one of ours.</summary>
    internal static readonly string[] Version2Tables =
        ["identities", "inbox", "kem_pre_keys", "one_time_pre_keys", "own_identity", "schema_version", "sender_keys", "sessions", "signed_pre_keys"];
}
