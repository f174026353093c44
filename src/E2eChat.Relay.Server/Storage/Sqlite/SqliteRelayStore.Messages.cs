using System.Globalization;
using System.Text;
using E2eChat.Wire;
using Microsoft.Data.Sqlite;

namespace E2eChat.Relay.Server.Storage.Sqlite;

/// <content>Queues, de-duplication, metering and expiry.</content>
internal sealed partial class SqliteRelayStore
{
    /// <inheritdoc />
    public ValueTask<IReadOnlyList<IReadOnlyList<DeliveryOutcome>>> StoreAsync(IReadOnlyList<MessageToStore> messages, long nowMilliseconds, int maxQueueLength, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxQueueLength, 1);
        return Write<IReadOnlyList<IReadOnlyList<DeliveryOutcome>>>(
            () =>
            {
                long day = nowMilliseconds / RelayServerLimits.MillisecondsPerDay;
                var results = new IReadOnlyList<DeliveryOutcome>[messages.Count];
                for (int m = 0; m < messages.Count; m++)
                {
                    results[m] = StoreOne(messages[m], nowMilliseconds, day, maxQueueLength);
                }

                return results;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<QueuePage> ReadQueueAsync(DeviceAddress device, long afterSequence, int limit, long nowMilliseconds, CancellationToken cancellationToken) =>
        Read(
            connection =>
            {
                var deliveries = new List<QueuedDelivery>();
                SqliteCommand command = connection.Command("SELECT q.seq, m.envelope FROM queue q JOIN messages m ON m.id = q.message WHERE q.name = $n AND q.device = $d AND q.seq > $after AND m.expires_at > $now ORDER BY q.seq LIMIT $limit;")
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
                // One statement for the batch (its sequence numbers as a JSON array), and one for the
                // messages no queue entry refers to any more.
                var messages = new List<long>(sequences.Count);
                if (sequences.Count > 0)
                {
                    using SqliteDataReader reader = Command("DELETE FROM queue WHERE name = $n AND device = $d AND seq IN (SELECT value FROM json_each($s)) RETURNING message;")
                        .WithDevice(device).With("$s", JsonArray(sequences)).ExecuteReader();
                    while (reader.Read())
                    {
                        messages.Add(reader.GetInt64(0));
                    }
                }

                DeleteIfOrphans(messages);
                int deleted = messages.Count;

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
                var messages = new List<long>();
                using (SqliteDataReader reader = Command("DELETE FROM queue WHERE name = $r AND EXISTS (SELECT 1 FROM messages m WHERE m.id = queue.message AND m.sender_name = $s) RETURNING message;")
                    .With("$r", recipientAccount).With("$s", senderAccount).ExecuteReader())
                {
                    while (reader.Read())
                    {
                        messages.Add(reader.GetInt64(0));
                    }
                }

                DeleteIfOrphans(messages);
                return messages.Count;
            },
            cancellationToken);

    /// <inheritdoc />
    public ValueTask<ExpiryCounts> DeleteExpiredAsync(long nowMilliseconds, CancellationToken cancellationToken) =>
        Write(
            () =>
            {
                Command("DELETE FROM queue WHERE message IN (SELECT id FROM messages WHERE expires_at <= $now);").With("$now", nowMilliseconds).ExecuteNonQuery();
                int messages = Command("DELETE FROM messages WHERE expires_at <= $now;").With("$now", nowMilliseconds).ExecuteNonQuery();
                int dedup = Command("DELETE FROM delivered_ids WHERE expires_at <= $now;").With("$now", nowMilliseconds).ExecuteNonQuery();
                dedup += Command("DELETE FROM billed WHERE expires_at <= $now;").With("$now", nowMilliseconds).ExecuteNonQuery();
                int challenges = Command("DELETE FROM used_challenges WHERE expires_at <= $now;").With("$now", nowMilliseconds).ExecuteNonQuery();
                return new ExpiryCounts(messages, dedup, challenges);
            },
            cancellationToken);

    private DeliveryOutcome[] StoreOne(MessageToStore message, long now, long day, int maxQueueLength)
    {
        var outcomes = new DeliveryOutcome[message.Recipients.Count];
        long messageRow = 0;
        HashSet<string>? newlyReached = null;
        for (int i = 0; i < outcomes.Length; i++)
        {
            DeviceAddress recipient = message.Recipients[i];
            int fresh = Command("INSERT INTO delivered_ids (name, device, message_id, expires_at) VALUES ($n, $d, $id, $e) ON CONFLICT (name, device, message_id) DO NOTHING;")
                .WithDevice(recipient).With("$id", message.MessageId).With("$e", message.ExpiresAtMilliseconds).ExecuteNonQuery();
            if (fresh == 0)
            {
                outcomes[i] = DeliveryOutcome.Duplicate;
                continue;
            }

            // The device row's update takes the sequence number (and, on PostgreSQL, the row lock that
            // keeps commit order equal to sequence order for the device).
            object? sequence = Command("UPDATE devices SET next_seq = next_seq + 1 WHERE name = $n AND device = $d RETURNING next_seq - 1;").WithDevice(recipient).ExecuteScalar();
            if (sequence is not long seq)
            {
                Command("DELETE FROM delivered_ids WHERE name = $n AND device = $d AND message_id = $id;").WithDevice(recipient).With("$id", message.MessageId).ExecuteNonQuery();
                outcomes[i] = DeliveryOutcome.UnknownRecipient;
                continue;
            }

            if (messageRow == 0)
            {
                messageRow = (long)Command("INSERT INTO messages (sender_name, sender_device, envelope, expires_at) VALUES ($sn, $sd, $env, $e) RETURNING id;")
                    .With("$sn", message.Sender.Name).With("$sd", message.Sender.Device).With("$env", message.Envelope).With("$e", message.ExpiresAtMilliseconds)
                    .ExecuteScalar()!;
            }

            Command("INSERT INTO queue (name, device, seq, message) VALUES ($n, $d, $s, $m);").WithDevice(recipient).With("$s", seq).With("$m", messageRow).ExecuteNonQuery();
            if (seq > maxQueueLength)
            {
                Trim(recipient, seq - maxQueueLength);
            }

            (newlyReached ??= new HashSet<string>(StringComparer.Ordinal)).Add(recipient.Name);
            outcomes[i] = DeliveryOutcome.Stored;
        }

        if (newlyReached is null)
        {
            return outcomes;
        }

        foreach (BillingCharge charge in message.Charges)
        {
            if (!newlyReached.Contains(charge.RecipientAccount))
            {
                continue;
            }

            int billed = Command("INSERT INTO billed (business, recipient, message_id, expires_at) VALUES ($b, $r, $id, $e) ON CONFLICT (business, recipient, message_id) DO NOTHING;")
                .With("$b", charge.BusinessAccount).With("$r", charge.RecipientAccount).With("$id", message.MessageId).With("$e", message.ExpiresAtMilliseconds)
                .ExecuteNonQuery();
            if (billed == 1)
            {
                Command("INSERT INTO usage (account, day, category, messages) VALUES ($a, $day, $c, 1) ON CONFLICT (account, day, category) DO UPDATE SET messages = messages + 1;")
                    .With("$a", charge.BusinessAccount).With("$day", day).With("$c", charge.Category).ExecuteNonQuery();
            }
        }

        if (message.Touch is { } touch)
        {
            // PROTOCOL.md 17.3: window_until = max(window_until, now + 24 h), unless blocked.
            Command("INSERT INTO consent (customer, business, window_until) VALUES ($c, $b, $w) ON CONFLICT (customer, business) DO UPDATE SET window_until = max(window_until, excluded.window_until) WHERE consent.blocked = 0;")
                .With("$c", touch.Customer).With("$b", touch.Business).With("$w", now + (long)ConsentPolicy.ServiceWindowMilliseconds).ExecuteNonQuery();
        }

        return outcomes;
    }

    private void Trim(DeviceAddress device, long throughSequence)
    {
        var messages = new List<long>();
        using (SqliteDataReader reader = Command("DELETE FROM queue WHERE name = $n AND device = $d AND seq <= $s RETURNING message;").WithDevice(device).With("$s", throughSequence).ExecuteReader())
        {
            while (reader.Read())
            {
                messages.Add(reader.GetInt64(0));
            }
        }

        if (messages.Count == 0)
        {
            return;
        }

        Command("UPDATE devices SET trimmed = trimmed + $c WHERE name = $n AND device = $d;").WithDevice(device).With("$c", messages.Count).ExecuteNonQuery();
        DeleteIfOrphans(messages);
    }

    /// <summary>Deletes those of <paramref name="messageRows"/> that no queue entry refers to any more, in one statement.</summary>
    private void DeleteIfOrphans(List<long> messageRows)
    {
        if (messageRows.Count > 0)
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
