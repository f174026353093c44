namespace E2eChat.Relay.Server.Storage.Sqlite;

/// <summary>
/// The relay database's schema, versioned with SQLite's <c>user_version</c>. Each entry migrates from
/// the previous version; released versions are frozen (a change is a new entry), so every database a
/// released relay wrote keeps opening.
/// </summary>
internal static class SqliteSchema
{
    /// <summary>Migration <c>i</c> takes a database from version <c>i</c> to <c>i + 1</c>.</summary>
    internal static readonly string[] Migrations =
    [
        // Version 1.
        """
        CREATE TABLE secrets (
            name TEXT NOT NULL PRIMARY KEY,
            value BLOB NOT NULL
        ) WITHOUT ROWID;

        CREATE TABLE used_challenges (
            challenge BLOB NOT NULL PRIMARY KEY,
            expires_at INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX used_challenges_expiry ON used_challenges (expires_at);

        CREATE TABLE accounts (
            name TEXT NOT NULL PRIMARY KEY,
            kind INTEGER NOT NULL
        ) WITHOUT ROWID;

        CREATE TABLE devices (
            name TEXT NOT NULL,
            device INTEGER NOT NULL,
            identity BLOB NOT NULL,
            registered_at INTEGER NOT NULL,
            next_seq INTEGER NOT NULL DEFAULT 1,
            trimmed INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (name, device)
        ) WITHOUT ROWID;

        CREATE TABLE signed_prekeys (
            name TEXT NOT NULL,
            device INTEGER NOT NULL,
            id INTEGER NOT NULL,
            public_key BLOB NOT NULL,
            signature BLOB NOT NULL,
            PRIMARY KEY (name, device)
        ) WITHOUT ROWID;

        CREATE TABLE last_resort_kem_prekeys (
            name TEXT NOT NULL,
            device INTEGER NOT NULL,
            id INTEGER NOT NULL,
            public_key BLOB NOT NULL,
            signature BLOB NOT NULL,
            PRIMARY KEY (name, device)
        ) WITHOUT ROWID;

        CREATE TABLE one_time_prekeys (
            name TEXT NOT NULL,
            device INTEGER NOT NULL,
            id INTEGER NOT NULL,
            public_key BLOB NOT NULL,
            PRIMARY KEY (name, device, id)
        ) WITHOUT ROWID;

        CREATE TABLE one_time_kem_prekeys (
            name TEXT NOT NULL,
            device INTEGER NOT NULL,
            id INTEGER NOT NULL,
            public_key BLOB NOT NULL,
            signature BLOB NOT NULL,
            PRIMARY KEY (name, device, id)
        ) WITHOUT ROWID;

        CREATE TABLE messages (
            id INTEGER PRIMARY KEY,
            sender_name TEXT NOT NULL,
            sender_device INTEGER NOT NULL,
            envelope BLOB NOT NULL,
            expires_at INTEGER NOT NULL
        );
        CREATE INDEX messages_expiry ON messages (expires_at);

        CREATE TABLE queue (
            name TEXT NOT NULL,
            device INTEGER NOT NULL,
            seq INTEGER NOT NULL,
            message INTEGER NOT NULL,
            PRIMARY KEY (name, device, seq)
        ) WITHOUT ROWID;
        CREATE INDEX queue_message ON queue (message);

        CREATE TABLE delivered_ids (
            name TEXT NOT NULL,
            device INTEGER NOT NULL,
            message_id BLOB NOT NULL,
            expires_at INTEGER NOT NULL,
            PRIMARY KEY (name, device, message_id)
        ) WITHOUT ROWID;
        CREATE INDEX delivered_ids_expiry ON delivered_ids (expires_at);

        CREATE TABLE billed (
            business TEXT NOT NULL,
            recipient TEXT NOT NULL,
            message_id BLOB NOT NULL,
            expires_at INTEGER NOT NULL,
            PRIMARY KEY (business, recipient, message_id)
        ) WITHOUT ROWID;
        CREATE INDEX billed_expiry ON billed (expires_at);

        CREATE TABLE usage (
            account TEXT NOT NULL,
            day INTEGER NOT NULL,
            category TEXT NOT NULL,
            messages INTEGER NOT NULL,
            PRIMARY KEY (account, day, category)
        ) WITHOUT ROWID;

        CREATE TABLE conversations (
            customer TEXT NOT NULL,
            business TEXT NOT NULL,
            last_customer_message_at INTEGER NOT NULL,
            PRIMARY KEY (customer, business)
        ) WITHOUT ROWID;
        """,

        // Version 2: consent state per pair (PROTOCOL.md 17.1) replaces the last-customer-message
        // table; a window already open stays open 24 hours from the customer's last message.
        """
        CREATE TABLE consent (
            customer TEXT NOT NULL,
            business TEXT NOT NULL,
            serial INTEGER NOT NULL DEFAULT 0,
            last_action INTEGER NOT NULL DEFAULT 0,
            blocked INTEGER NOT NULL DEFAULT 0,
            scopes INTEGER NOT NULL DEFAULT 0,
            grant_expires_at INTEGER NOT NULL DEFAULT 0,
            window_until INTEGER NOT NULL DEFAULT 0,
            record BLOB,
            PRIMARY KEY (customer, business)
        ) WITHOUT ROWID;
        INSERT INTO consent (customer, business, window_until)
            SELECT customer, business, last_customer_message_at + 86400000 FROM conversations;
        DROP TABLE conversations;
        """,

        // Version 3: each account's signed device list (PROTOCOL.md 14.6); the first one pins the
        // account key. version holds the uint64 version with its top bit flipped (signed order =
        // unsigned order).
        """
        CREATE TABLE device_lists (
            account TEXT NOT NULL PRIMARY KEY,
            account_key BLOB NOT NULL,
            version INTEGER NOT NULL,
            list BLOB NOT NULL
        ) WITHOUT ROWID;
        """,

        // Version 4: a queue entry carries its expiry, and the envelope and sender of a message queued
        // for one device only (pairwise traffic) inline, so storing one is one row and one index entry
        // instead of a message row, its expiry entry, the queue row and its message entry. A message
        // queued for several devices (a post) keeps one shared messages row, referred to by message
        // (NULL for an inline entry). Entries queued before stay shared, with their message's expiry.
        """
        CREATE TABLE queue_v4 (
            name TEXT NOT NULL,
            device INTEGER NOT NULL,
            seq INTEGER NOT NULL,
            expires_at INTEGER NOT NULL,
            message INTEGER,
            sender_name TEXT,
            envelope BLOB,
            PRIMARY KEY (name, device, seq)
        ) WITHOUT ROWID;
        INSERT INTO queue_v4 (name, device, seq, expires_at, message)
            SELECT q.name, q.device, q.seq, m.expires_at, q.message FROM queue q JOIN messages m ON m.id = q.message;
        DROP TABLE queue;
        ALTER TABLE queue_v4 RENAME TO queue;
        CREATE INDEX queue_message ON queue (message) WHERE message IS NOT NULL;
        CREATE INDEX queue_expiry ON queue (expires_at);
        """,

        // Version 5: new dedup keys are appended to recent_ids in insertion order (a rowid table, no
        // index: the writer keeps its keys in memory, and it stays small), and moved into delivered_ids
        // in key order in batches (SqliteRelayStore.Dedup.cs). A key is in one of the two tables.
        """
        CREATE TABLE recent_ids (
            name TEXT NOT NULL,
            device INTEGER NOT NULL,
            message_id BLOB NOT NULL,
            expires_at INTEGER NOT NULL
        );
        """,
    ];

    /// <summary>The version this relay writes.</summary>
    internal static int CurrentVersion => Migrations.Length;
}
