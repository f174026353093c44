using Microsoft.Data.Sqlite;

namespace E2eChat.Relay.Server.Storage.Sqlite;

/// <content>
/// The dedup keys (PROTOCOL.md 12.4) in two tables (schema version 5). A stored message's key is
/// appended to <c>recent_ids</c>, a rowid table in insertion order, so the keys of a group commit
/// fill a few pages at its end instead of dirtying one page each at random places in a large b-tree;
/// the writer mirrors that table in <see cref="_recentKeys"/> to look keys up. Once it holds
/// <see cref="DedupKeysPerMove"/> keys, the writer moves them all into <c>delivered_ids</c> (keyed by
/// recipient device and message id) in one transaction, in key order: a page of that table is then
/// written once per move for all the keys it receives, instead of once per key. A key is in exactly
/// one of the two tables; a new key is looked up in both; the expiry sweep deletes from both.
/// Everything here runs on the writer thread. The set follows the table through savepoint and
/// transaction rollbacks (<see cref="_recentKeysUndo"/>), and is read back from the table on open.
/// </content>
internal sealed partial class SqliteRelayStore
{
    /// <summary>
    /// The keys <c>recent_ids</c> (and <see cref="_recentKeys"/>) collect before the writer moves them.
    /// A move writes at most one page of <c>delivered_ids</c> per key, and one per page it touches, so
    /// more keys per move share more pages while the table is small (the benchmark's few thousand
    /// pages); with a large table (30 days of keys) a move writes about one page per key, as inserting
    /// each key directly did. Fewer keys keep a move short (the writer runs it between group commits,
    /// which wait for it) and the set small: 8,192 keys are about 1 MiB in memory and at most 8,192
    /// pages, 32 MiB, of WAL per move. A move takes every key present, so after one group that added
    /// many (posts to large audiences: at most <see cref="RelayServerLimits.MaxGroupCommitWrites"/> writes of
    /// <see cref="RelayServerLimits.MaxAudience"/> keys) it moves that group's keys too, as many as the group
    /// itself inserted into <c>delivered_ids</c> before schema version 5.
    /// </summary>
    internal const int DedupKeysPerMove = 8192;

    /// <summary>The keys of <c>recent_ids</c>, as the writer's open transaction sees them.</summary>
    private readonly HashSet<DedupKey> _recentKeys = [];

    /// <summary>
    /// Changes to <see cref="_recentKeys"/> since the last commit (a key and whether it was added), so a
    /// rollback to a write's savepoint, or of the whole transaction, undoes them.
    /// </summary>
    private readonly List<(DedupKey Key, bool Added)> _recentKeysUndo = [];

    private int _moveDedupKeysAfter = DedupKeysPerMove;

    /// <summary>The count of recent keys that triggers a move (<see cref="DedupKeysPerMove"/>; lower in tests).</summary>
    internal int MoveDedupKeysAfter
    {
        get => _moveDedupKeysAfter;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            _moveDedupKeysAfter = value;
        }
    }

    /// <summary>Before the writer thread starts: reads <c>recent_ids</c> into <see cref="_recentKeys"/>.</summary>
    private void LoadRecentKeys(SqliteConnection writer)
    {
        using SqliteCommand command = writer.CreateCommand();
        command.CommandText = "SELECT name, device, message_id FROM recent_ids;";
        using SqliteDataReader reader = command.ExecuteReader();
        while (reader.Read())
        {
            _recentKeys.Add(DedupKey.Read(reader));
        }
    }

    /// <summary>
    /// Inside a store: claims <paramref name="key"/> when it is new (in <see cref="_recentKeys"/>; the
    /// caller appends the keys it stores with <see cref="AppendRecentKeys"/> and gives back the others
    /// with <see cref="ReleaseDedupKey"/>). A key in <c>recent_ids</c> or <c>delivered_ids</c> is not new.
    /// </summary>
    /// <returns>Whether it was new (and is claimed now).</returns>
    private bool TryClaimDedupKey(DedupKey key, SqliteRawStatement deliveredProbe)
    {
        if (_recentKeys.Contains(key) || IsMoved(deliveredProbe, key))
        {
            return false;
        }

        _recentKeys.Add(key);
        _recentKeysUndo.Add((key, true));
        return true;
    }

    /// <summary>The writer's statement that finds a key in <c>delivered_ids</c> (looked up once per batch).</summary>
    private SqliteRawStatement DeliveredProbe() => Raw("SELECT 1 FROM delivered_ids WHERE name = ?1 AND device = ?2 AND message_id = ?3;");

    /// <summary>Whether the key is in <c>delivered_ids</c> (moved there, or stored by a relay before schema version 5).</summary>
    private static bool IsMoved(SqliteRawStatement probe, DedupKey key)
    {
        try
        {
            probe.Bind(1, key.Device.Name).Bind(2, key.Device.Device).Bind(3, key.MessageId);
            return probe.Step();
        }
        finally
        {
            probe.Reset();
        }
    }

    /// <summary>Inside a store: gives back a claimed key whose message was not stored (an unknown recipient).</summary>
    private void ReleaseDedupKey(DedupKey key)
    {
        if (_recentKeys.Remove(key))
        {
            _recentKeysUndo.Add((key, false));
        }
    }

    /// <summary>Inside a store: appends the claimed keys of the stored entries to <c>recent_ids</c>.</summary>
    private void AppendRecentKeys(IReadOnlyList<MessageToStore> messages, List<BatchEntry> fresh, List<int> storedIndexes) =>
        InsertRows(RecentKeyHead, 4, storedIndexes, (command, r, index) =>
        {
            BatchEntry entry = fresh[index];
            MessageToStore message = messages[entry.Message];
            DeviceAddress device = message.Recipients[entry.Recipient];
            command.Cell(4, r, 0, device.Name).Cell(4, r, 1, device.Device).Cell(4, r, 2, message.MessageId).Cell(4, r, 3, message.ExpiresAtMilliseconds);
        });

    /// <summary>Inside the sweep: deletes the expired keys of <c>recent_ids</c> (a scan: the table stays small).</summary>
    /// <returns>How many were deleted.</returns>
    private int DeleteExpiredRecentKeys(long nowMilliseconds)
    {
        int deleted = 0;
        using SqliteDataReader reader = Command("DELETE FROM recent_ids WHERE expires_at <= $now RETURNING name, device, message_id;").With("$now", nowMilliseconds).ExecuteReader();
        while (reader.Read())
        {
            deleted++;
            ReleaseDedupKey(DedupKey.Read(reader));
        }

        return deleted;
    }

    /// <summary>Inside a write: moves every key of <c>recent_ids</c> into <c>delivered_ids</c>.</summary>
    internal void MoveDedupKeys()
    {
        // Sorted in delivered_ids' key order, so its pages are visited one after another.
        Command("INSERT INTO delivered_ids (name, device, message_id, expires_at) SELECT name, device, message_id, expires_at FROM recent_ids WHERE true ORDER BY name, device, message_id ON CONFLICT (name, device, message_id) DO NOTHING;").ExecuteNonQuery();
        Command("DELETE FROM recent_ids;").ExecuteNonQuery();
        foreach (DedupKey key in _recentKeys)
        {
            _recentKeysUndo.Add((key, false));
        }

        _recentKeys.Clear();
    }

    /// <summary>The writer's undo position: where a write's changes to the recent keys begin.</summary>
    private int RecentKeysMark => _recentKeysUndo.Count;

    /// <summary>After a rollback: undoes the changes to the recent keys made since <paramref name="mark"/>.</summary>
    private void UndoRecentKeys(int mark)
    {
        for (int i = _recentKeysUndo.Count - 1; i >= mark; i--)
        {
            (DedupKey key, bool added) = _recentKeysUndo[i];
            if (added)
            {
                _recentKeys.Remove(key);
            }
            else
            {
                _recentKeys.Add(key);
            }
        }

        _recentKeysUndo.RemoveRange(mark, _recentKeysUndo.Count - mark);
    }

    /// <summary>After a commit: the recent keys' changes stand.</summary>
    private void KeepRecentKeys() => _recentKeysUndo.Clear();

    /// <summary>
    /// On the writer thread, between groups: once enough keys have collected, <see cref="MoveDedupKeys"/>
    /// in a transaction of its own. If it fails (disk full, an I/O error) both tables and the set stay
    /// as they were, and the next group tries again.
    /// </summary>
    private void MoveDedupKeysIfDue()
    {
        if (_recentKeys.Count < MoveDedupKeysAfter)
        {
            return;
        }

        SqliteConnection writer = _writer ?? throw new InvalidOperationException("The store is not initialized.");
        try
        {
            using SqliteTransaction transaction = writer.BeginTransaction(deferred: false);
            _transaction = transaction;
            try
            {
                MoveDedupKeys();
                transaction.Commit();
                KeepRecentKeys();
            }
            finally
            {
                _transaction = null;
            }
        }
        catch (Exception)
        {
            // Nothing may escape the writer thread, which would end the process.
            AfterRollback(writer);
        }

        _checkpointer!.AfterGroup(writer.Handle!);
    }

    /// <summary>A dedup key: the recipient device and the message id, compared by the id's bytes.</summary>
    private readonly struct DedupKey(DeviceAddress device, byte[] messageId) : IEquatable<DedupKey>
    {
        private readonly DeviceAddress _device = device;
        private readonly byte[] _messageId = messageId;

        /// <summary>The recipient device.</summary>
        public DeviceAddress Device => _device;

        /// <summary>The message id (16 bytes).</summary>
        public byte[] MessageId => _messageId;

        /// <summary>A key read from columns 0-2 (name, device, message id) of a row.</summary>
        public static DedupKey Read(SqliteDataReader reader) => new(new DeviceAddress(reader.GetString(0), reader.GetInt32(1)), (byte[])reader.GetValue(2));

        public bool Equals(DedupKey other) => _device == other._device && _messageId.AsSpan().SequenceEqual(other._messageId);

        public override bool Equals(object? obj) => obj is DedupKey other && Equals(other);

        public override int GetHashCode()
        {
            var hash = default(HashCode);
            hash.Add(_device);
            hash.AddBytes(_messageId);
            return hash.ToHashCode();
        }
    }
}
