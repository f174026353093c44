namespace E2eChat.Relay.Server.Storage.Postgres;

/// <summary>
/// The relay's PostgreSQL schema, versioned in its own <c>schema_version</c> table. Each entry migrates
/// from the previous version; released versions are frozen (a change is a new entry). Every node runs
/// the migrations under one advisory lock, so nodes starting together migrate once.
/// </summary>
internal static class PostgresSchema
{
    /// <summary>Migration <c>i</c> takes a schema from version <c>i</c> to <c>i + 1</c>.</summary>
    internal static readonly string[] Migrations =
    [
        // Version 1: the tables of SQLite's version 1, with PostgreSQL types; sequence numbers per
        // device come from devices.next_seq under that row's lock, so commit order is sequence order.
        """
        CREATE TABLE secrets (
            name text NOT NULL PRIMARY KEY,
            value bytea NOT NULL
        );

        CREATE TABLE used_challenges (
            challenge bytea NOT NULL PRIMARY KEY,
            expires_at bigint NOT NULL
        );
        CREATE INDEX used_challenges_expiry ON used_challenges (expires_at);

        CREATE TABLE accounts (
            name text NOT NULL PRIMARY KEY,
            kind integer NOT NULL
        );

        CREATE TABLE devices (
            name text NOT NULL,
            device integer NOT NULL,
            identity bytea NOT NULL,
            registered_at bigint NOT NULL,
            next_seq bigint NOT NULL DEFAULT 1,
            trimmed bigint NOT NULL DEFAULT 0,
            PRIMARY KEY (name, device)
        );

        CREATE TABLE signed_prekeys (
            name text NOT NULL,
            device integer NOT NULL,
            id bigint NOT NULL,
            public_key bytea NOT NULL,
            signature bytea NOT NULL,
            PRIMARY KEY (name, device)
        );

        CREATE TABLE last_resort_kem_prekeys (
            name text NOT NULL,
            device integer NOT NULL,
            id bigint NOT NULL,
            public_key bytea NOT NULL,
            signature bytea NOT NULL,
            PRIMARY KEY (name, device)
        );

        CREATE TABLE one_time_prekeys (
            name text NOT NULL,
            device integer NOT NULL,
            id bigint NOT NULL,
            public_key bytea NOT NULL,
            PRIMARY KEY (name, device, id)
        );

        CREATE TABLE one_time_kem_prekeys (
            name text NOT NULL,
            device integer NOT NULL,
            id bigint NOT NULL,
            public_key bytea NOT NULL,
            signature bytea NOT NULL,
            PRIMARY KEY (name, device, id)
        );

        CREATE TABLE messages (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            sender_name text NOT NULL,
            sender_device integer NOT NULL,
            envelope bytea NOT NULL,
            expires_at bigint NOT NULL
        );
        CREATE INDEX messages_expiry ON messages (expires_at);

        CREATE TABLE queue (
            name text NOT NULL,
            device integer NOT NULL,
            seq bigint NOT NULL,
            message bigint NOT NULL,
            PRIMARY KEY (name, device, seq)
        );
        CREATE INDEX queue_message ON queue (message);

        CREATE TABLE delivered_ids (
            name text NOT NULL,
            device integer NOT NULL,
            message_id bytea NOT NULL,
            expires_at bigint NOT NULL,
            PRIMARY KEY (name, device, message_id)
        );
        CREATE INDEX delivered_ids_expiry ON delivered_ids (expires_at);

        CREATE TABLE billed (
            business text NOT NULL,
            recipient text NOT NULL,
            message_id bytea NOT NULL,
            expires_at bigint NOT NULL,
            PRIMARY KEY (business, recipient, message_id)
        );
        CREATE INDEX billed_expiry ON billed (expires_at);

        CREATE TABLE usage (
            account text NOT NULL,
            day integer NOT NULL,
            category text NOT NULL,
            messages bigint NOT NULL,
            PRIMARY KEY (account, day, category)
        );

        CREATE TABLE conversations (
            customer text NOT NULL,
            business text NOT NULL,
            last_customer_message_at bigint NOT NULL,
            PRIMARY KEY (customer, business)
        );
        """,

        // Version 2: consent state per pair (PROTOCOL.md 17.1) replaces the last-customer-message
        // table; a window already open stays open 24 hours from the customer's last message.
        """
        CREATE TABLE consent (
            customer text NOT NULL,
            business text NOT NULL,
            serial bigint NOT NULL DEFAULT 0,
            last_action integer NOT NULL DEFAULT 0,
            blocked integer NOT NULL DEFAULT 0,
            scopes bigint NOT NULL DEFAULT 0,
            grant_expires_at bigint NOT NULL DEFAULT 0,
            window_until bigint NOT NULL DEFAULT 0,
            record bytea,
            PRIMARY KEY (customer, business)
        );
        INSERT INTO consent (customer, business, window_until)
            SELECT customer, business, last_customer_message_at + 86400000 FROM conversations;
        DROP TABLE conversations;
        """,

        // Version 3: each account's signed device list (PROTOCOL.md 14.6); the first one pins the
        // account key. version holds the uint64 version with its top bit flipped (signed order =
        // unsigned order).
        """
        CREATE TABLE device_lists (
            account text NOT NULL PRIMARY KEY,
            account_key bytea NOT NULL,
            version bigint NOT NULL,
            list bytea NOT NULL
        );
        """,
    ];

    /// <summary>The version this relay writes.</summary>
    internal static int CurrentVersion => Migrations.Length;
}
