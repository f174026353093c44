using System.Globalization;
using System.Text;
using E2eChat.Wire;
using Microsoft.Data.Sqlite;

namespace E2eChat.Relay.Server.Storage.Sqlite;

/// <content>Queues, de-duplication, metering and expiry.</content>
internal sealed partial class SqliteRelayStore
{
    /// <inheritdoc />
    public ValueTask<IReadOnlyList<IReadOnlyList<DeliveryOutcome>>> StoreAsync(IReadOnlyList<MessageToStore> messages, long nowMilliseconds, int maxQueueLength, CancellationToken cancellationToken) =>
        StoreCoreAsync(messages, nowMilliseconds, maxQueueLength, null, cancellationToken);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<IReadOnlyList<DeliveryOutcome>>> StoreAsync(IReadOnlyList<MessageToStore> messages, long nowMilliseconds, int maxQueueLength, ICollection<StoredDelivery> stored, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stored);
        return StoreCoreAsync(messages, nowMilliseconds, maxQueueLength, stored, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<QueuePage> ReadQueueAsync(DeviceAddress device, long afterSequence, int limit, long nowMilliseconds, CancellationToken cancellationToken) =>
        Read(
            connection =>
            {
                var deliveries = new List<QueuedDelivery>();
                // An inline entry carries its envelope; a shared one (a post) reads its message row.
                SqliteCommand command = connection.Command("SELECT q.seq, coalesce(q.envelope, m.envelope) FROM queue q LEFT JOIN messages m ON m.id = q.message WHERE q.name = $n AND q.device = $d AND q.seq > $after AND q.expires_at > $now AND coalesce(q.envelope, m.envelope) IS NOT NULL ORDER BY q.seq LIMIT $limit;")
                    .WithDevice(device).With("$after", afterSequence).With("$now", nowMilliseconds).With("$limit", limit);
                using (SqliteDataReader reader = command.ExecuteReader())
                {
                    while (reader.Read())
                    {
                        deliveries.Add(new QueuedDelivery(reader.GetInt64(0), Bytes(reader, 1)));
                    }
                }

                SqliteCommand trimmed = connection.Command("SELECT trimmed FROM devices WHERE name = $n AND device = $d;").WithDevice(device);
                return new QueuePage(deliveries, trimmed.ExecuteScalar() is long count ? count : 0);
            },
            cancellationToken);

    /// <inheritdoc />
    public ValueTask<int> AcknowledgeAsync(DeviceAddress device, IReadOnlyList<long> sequences, long trimmedNoticed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        return Write(
            () =>
            {
                // One statement for the batch (its sequence numbers as a JSON array), and, for the
                // shared entries among them (posts), one for the messages no queue entry refers to any more.
                int deleted = 0;
                List<long>? shared = null;
                if (sequences.Count > 0)
                {
                    SqliteRawStatement delete = Raw("DELETE FROM queue WHERE name = ?1 AND device = ?2 AND seq IN (SELECT value FROM json_each(?3)) RETURNING message;");
                    try
                    {
                        delete.Bind(1, device.Name).Bind(2, device.Device).Bind(3, JsonArray(sequences));
                        while (delete.Step())
                        {
                            deleted++;
                            if (!delete.IsNull(0))
                            {
                                (shared ??= []).Add(delete.Int64(0));
                            }
                        }
                    }
                    finally
                    {
                        delete.Reset();
                    }
                }

                DeleteIfOrphans(shared);

                if (trimmedNoticed > 0)
                {
                    Command("UPDATE devices SET trimmed = max(trimmed - $t, 0) WHERE name = $n AND device = $d;").WithDevice(device).With("$t", trimmedNoticed).ExecuteNonQuery();
                }

                return deleted;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<int> PurgeFromSenderAsync(string recipientAccount, string senderAccount, CancellationToken cancellationToken) =>
        Write(
            () =>
            {
                List<long>? shared = null;
                int deleted;
                using (SqliteDataReader reader = Command("DELETE FROM queue WHERE name = $r AND (sender_name = $s OR EXISTS (SELECT 1 FROM messages m WHERE m.id = queue.message AND m.sender_name = $s)) RETURNING message;")
                    .With("$r", recipientAccount).With("$s", senderAccount).ExecuteReader())
                {
                    deleted = ReadDeletedEntries(reader, ref shared);
                }

                DeleteIfOrphans(shared);
                return deleted;
            },
            cancellationToken);

    /// <inheritdoc />
    public ValueTask<ExpiryCounts> DeleteExpiredAsync(long nowMilliseconds, CancellationToken cancellationToken) =>
        Write(
            () =>
            {
                // Every entry carries its message's expiry; inline entries count as messages themselves.
                int inline = Command("DELETE FROM queue WHERE expires_at <= $now AND message IS NULL;").With("$now", nowMilliseconds).ExecuteNonQuery();
                Command("DELETE FROM queue WHERE expires_at <= $now;").With("$now", nowMilliseconds).ExecuteNonQuery();
                int messages = inline + Command("DELETE FROM messages WHERE expires_at <= $now;").With("$now", nowMilliseconds).ExecuteNonQuery();
                int dedup = Command("DELETE FROM delivered_ids WHERE expires_at <= $now;").With("$now", nowMilliseconds).ExecuteNonQuery();
                dedup += DeleteExpiredRecentKeys(nowMilliseconds);
                dedup += Command("DELETE FROM billed WHERE expires_at <= $now;").With("$now", nowMilliseconds).ExecuteNonQuery();
                int challenges = Command("DELETE FROM used_challenges WHERE expires_at <= $now;").With("$now", nowMilliseconds).ExecuteNonQuery();
                return new ExpiryCounts(messages, dedup, challenges);
            },
            cancellationToken);

    /// <summary>Deletes a device's queue entries up to <paramref name="throughSequence"/>, counted for a notice.</summary>
    /// <returns>How many were deleted.</returns>
    private int Trim(DeviceAddress device, long throughSequence)
    {
        List<long>? shared = null;
        int deleted;
        using (SqliteDataReader reader = Command("DELETE FROM queue WHERE name = $n AND device = $d AND seq <= $s RETURNING message;").WithDevice(device).With("$s", throughSequence).ExecuteReader())
        {
            deleted = ReadDeletedEntries(reader, ref shared);
        }

        if (deleted == 0)
        {
            return 0;
        }

        Command("UPDATE devices SET trimmed = trimmed + $c WHERE name = $n AND device = $d;").WithDevice(device).With("$c", deleted).ExecuteNonQuery();
        DeleteIfOrphans(shared);
        return deleted;
    }

    /// <summary>Counts the queue entries a <c>DELETE ... RETURNING message</c> deleted and collects the shared message rows they referred to.</summary>
    /// <returns>How many entries were deleted.</returns>
    private static int ReadDeletedEntries(SqliteDataReader reader, ref List<long>? shared)
    {
        int deleted = 0;
        while (reader.Read())
        {
            deleted++;
            if (!reader.IsDBNull(0))
            {
                (shared ??= []).Add(reader.GetInt64(0));
            }
        }

        return deleted;
    }

    /// <summary>Deletes those of <paramref name="messageRows"/> that no queue entry refers to any more, in one statement.</summary>
    private void DeleteIfOrphans(List<long>? messageRows)
    {
        if (messageRows is { Count: > 0 })
        {
            Command("DELETE FROM messages WHERE id IN (SELECT value FROM json_each($m)) AND NOT EXISTS (SELECT 1 FROM queue WHERE queue.message = messages.id);")
                .With("$m", JsonArray(messageRows)).ExecuteNonQuery();
        }
    }

    /// <summary>Integers as a JSON array (SQLite's <c>json_each</c> binds a list as one parameter).</summary>
    private static string JsonArray(IReadOnlyList<long> values)
    {
        var text = new StringBuilder((values.Count * 8) + 2).Append('[');
        for (int i = 0; i < values.Count; i++)
        {
            if (i > 0)
            {
                text.Append(',');
            }

            text.Append(values[i].ToString(CultureInfo.InvariantCulture));
        }

        return text.Append(']').ToString();
    }
}
