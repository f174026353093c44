using Microsoft.Data.Sqlite;

namespace E2eChat.Relay.Server.Storage.Sqlite;

/// <content>
/// The dedup keys in two tables (schema version 5). A stored message's key goes to <c>recent_ids</c>,
/// which holds at most a few thousand keys, so a group commit dirties a few of its pages, hot in the
/// cache, however many keys the relay holds. Once it holds <see cref="DedupKeysPerCompaction"/> keys,
/// the writer moves them all into <c>delivered_ids</c> in one transaction, in key order, so each page
/// of that large table is written once per move for all the keys it receives, instead of once per
/// message. A key is in exactly one of the two tables, and both are looked up before a key is
/// inserted; the expiry sweep deletes from both.
/// </content>
internal sealed partial class SqliteRelayStore
{
    /// <summary>
    /// The keys <c>recent_ids</c> collects before the writer moves them into <c>delivered_ids</c>. A
    /// move writes at most one page of <c>delivered_ids</c> per key and at most one per page of the
    /// table, so more keys per move share more pages; fewer keep the move short (it runs between group
    /// commits, which wait for it: 8,192 keys of about 50 bytes are about 100 pages of <c>recent_ids</c>,
    /// moved in tens of milliseconds) and the WAL small.
    /// </summary>
    internal const int DedupKeysPerCompaction = 8192;

    /// <summary>Keys inserted into <c>recent_ids</c> since the last move (counted on the writer thread; an overcount after a rollback only moves them earlier).</summary>
    private int _recentDedupKeys;

    /// <summary>The count that triggers a move (<see cref="DedupKeysPerCompaction"/>; lower in tests).</summary>
    internal int CompactDedupKeysAfter { get; set; } = DedupKeysPerCompaction;

    /// <summary>On the writer thread, between groups: moves the recent dedup keys once there are enough of them.</summary>
    private void CompactDedupKeysIfDue()
    {
        if (_recentDedupKeys >= CompactDedupKeysAfter)
        {
            // Counted from zero again even if the move fails: it is retried after as many new keys, not
            // after every group. Nothing is lost either way: a key stays in recent_ids until moved.
            _recentDedupKeys = 0;
            CompactDedupKeys();
        }
    }

    /// <summary>
    /// On the writer thread, outside any transaction: <see cref="MoveDedupKeys"/> in a transaction of its
    /// own (both tables as they were if it fails).
    /// </summary>
    /// <returns>Whether the move committed.</returns>
    private bool CompactDedupKeys()
    {
        SqliteConnection writer = _writer ?? throw new InvalidOperationException("The store is not initialized.");
        try
        {
            using SqliteTransaction transaction = writer.BeginTransaction(deferred: false);
            _transaction = transaction;
            try
            {
                MoveDedupKeys();
                transaction.Commit();
            }
            finally
            {
                _transaction = null;
            }

            _checkpointer?.AfterGroup(writer.Handle!);
            return true;
        }
        catch (Exception)
        {
            // Rolled back (disk full, an I/O error): the keys stay in recent_ids, where they are found.
            // Nothing may escape the writer thread, which would end the process.
            return false;
        }
    }

    /// <summary>Inside a write: moves every key of <c>recent_ids</c> into <c>delivered_ids</c>.</summary>
    internal void MoveDedupKeys()
    {
        // recent_ids is read in its key order, delivered_ids' order: its pages fill one after another.
        Command("INSERT INTO delivered_ids (name, device, message_id, expires_at) SELECT name, device, message_id, expires_at FROM recent_ids ORDER BY name, device, message_id ON CONFLICT (name, device, message_id) DO NOTHING;").ExecuteNonQuery();
        Command("DELETE FROM recent_ids;").ExecuteNonQuery();
    }
}
