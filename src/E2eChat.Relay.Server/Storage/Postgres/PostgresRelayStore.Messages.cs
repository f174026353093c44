using E2eChat.Wire;

namespace E2eChat.Relay.Server.Storage.Postgres;

/// <content>Queues, de-duplication, metering and expiry.</content>
internal sealed partial class PostgresRelayStore
{
    /// <inheritdoc />
    public ValueTask<IReadOnlyList<IReadOnlyList<DeliveryOutcome>>> StoreAsync(IReadOnlyList<MessageToStore> messages, long nowMilliseconds, int maxQueueLength, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxQueueLength, 1);
        return Write<IReadOnlyList<IReadOnlyList<DeliveryOutcome>>>(
            async (work, ct) =>
            {
                await LockRecipientsAsync(work, messages, ct).ConfigureAwait(false);
                long day = nowMilliseconds / RelayServerLimits.MillisecondsPerDay;
                var results = new IReadOnlyList<DeliveryOutcome>[messages.Count];
                for (int m = 0; m < messages.Count;)
                {
                    // Runs of single-recipient messages (every Send) go through the pipelined path, in order.
                    int end = m;
                    while (end < messages.Count && messages[end].Recipients.Count == 1)
                    {
                        end++;
                    }

                    if (end > m)
                    {
                        await StoreSinglesAsync(work, messages, m, end, results, nowMilliseconds, day, maxQueueLength, ct).ConfigureAwait(false);
                        m = end;
                    }
                    else
                    {
                        results[m] = await StoreOneAsync(work, messages[m], nowMilliseconds, day, maxQueueLength, ct).ConfigureAwait(false);
                        m++;
                    }
                }

                return results;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<QueuePage> ReadQueueAsync(DeviceAddress device, long afterSequence, int limit, long nowMilliseconds, CancellationToken cancellationToken) =>
        Read(
            async (work, ct) =>
            {
                List<QueuedDelivery> deliveries = await PostgresWork.RowsAsync(
                    work.Command("SELECT q.seq, m.envelope FROM queue q JOIN messages m ON m.id = q.message WHERE q.name = @n AND q.device = @d AND q.seq > @after AND m.expires_at > @now ORDER BY q.seq LIMIT @limit;")
                        .WithDevice(device).With("after", afterSequence).With("now", nowMilliseconds).With("limit", limit),
                    reader => new QueuedDelivery(reader.GetInt64(0), Bytes(reader, 1)),
                    ct).ConfigureAwait(false);
                object? trimmed = await PostgresWork.ScalarAsync(work.Command("SELECT trimmed FROM devices WHERE name = @n AND device = @d;").WithDevice(device), ct).ConfigureAwait(false);
                return new QueuePage(deliveries, trimmed is long count ? count : 0);
            },
            cancellationToken);

    /// <inheritdoc />
    public ValueTask<int> AcknowledgeAsync(DeviceAddress device, IReadOnlyList<long> sequences, long trimmedNoticed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        long[] sequenceArray = [.. sequences];
        return Write(
            async (work, ct) =>
            {
                List<long> messages = sequenceArray.Length == 0
                    ? []
                    : await PostgresWork.RowsAsync(
                        work.Command("DELETE FROM queue WHERE name = @n AND device = @d AND seq = ANY(@s) RETURNING message;").WithDevice(device).With("s", sequenceArray),
                        reader => reader.GetInt64(0),
                        ct).ConfigureAwait(false);
                await DeleteOrphansAsync(work, messages, ct).ConfigureAwait(false);
                if (trimmedNoticed > 0)
                {
                    await PostgresWork.ExecuteAsync(work.Command("UPDATE devices SET trimmed = greatest(trimmed - @t, 0) WHERE name = @n AND device = @d;").WithDevice(device).With("t", trimmedNoticed), ct).ConfigureAwait(false);
                }

                return messages.Count;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<int> PurgeFromSenderAsync(string recipientAccount, string senderAccount, CancellationToken cancellationToken) =>
        Write(
            async (work, ct) =>
            {
                List<long> messages = await PostgresWork.RowsAsync(
                    work.Command("DELETE FROM queue q USING messages m WHERE q.name = @r AND m.id = q.message AND m.sender_name = @s RETURNING q.message;").With("r", recipientAccount).With("s", senderAccount),
                    reader => reader.GetInt64(0),
                    ct).ConfigureAwait(false);
                await DeleteOrphansAsync(work, messages, ct).ConfigureAwait(false);
                return messages.Count;
            },
            cancellationToken);

    /// <inheritdoc />
    public ValueTask<ExpiryCounts> DeleteExpiredAsync(long nowMilliseconds, CancellationToken cancellationToken) =>
        Write(
            async (work, ct) =>
            {
                await PostgresWork.ExecuteAsync(work.Command("DELETE FROM queue WHERE message IN (SELECT id FROM messages WHERE expires_at <= @now);").With("now", nowMilliseconds), ct).ConfigureAwait(false);
                int messages = await PostgresWork.ExecuteAsync(work.Command("DELETE FROM messages WHERE expires_at <= @now;").With("now", nowMilliseconds), ct).ConfigureAwait(false);
                int dedup = await PostgresWork.ExecuteAsync(work.Command("DELETE FROM delivered_ids WHERE expires_at <= @now;").With("now", nowMilliseconds), ct).ConfigureAwait(false);
                dedup += await PostgresWork.ExecuteAsync(work.Command("DELETE FROM billed WHERE expires_at <= @now;").With("now", nowMilliseconds), ct).ConfigureAwait(false);
                int challenges = await PostgresWork.ExecuteAsync(work.Command("DELETE FROM used_challenges WHERE expires_at <= @now;").With("now", nowMilliseconds), ct).ConfigureAwait(false);
                return new ExpiryCounts(messages, dedup, challenges);
            },
            cancellationToken);

    /// <summary>
    /// Locks every recipient device row of the batch in one statement, in one order (name, device):
    /// two batches to overlapping devices then queue in turn instead of deadlocking, and each device's
    /// sequence numbers commit in order.
    /// </summary>
    private static async Task LockRecipientsAsync(PostgresWork work, IReadOnlyList<MessageToStore> messages, CancellationToken cancellationToken)
    {
        var distinct = new HashSet<DeviceAddress>();
        foreach (MessageToStore message in messages)
        {
            distinct.UnionWith(message.Recipients);
        }

        string[] names = distinct.Select(d => d.Name).ToArray();
        int[] devices = distinct.Select(d => d.Device).ToArray();
        await PostgresWork.ExecuteAsync(
            work.Command("SELECT 1 FROM devices d JOIN unnest(@names, @devices) AS r(name, device) ON d.name = r.name AND d.device = r.device ORDER BY d.name COLLATE \"C\", d.device FOR UPDATE OF d;")
                .With("names", names).With("devices", devices),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Stores messages <paramref name="start"/> to <paramref name="end"/> (each to one device) in two
    /// round trips: one pipelined batch of one statement per message (dedup key, sequence number,
    /// message row and queue entry together), then one of the ledger and service-window statements of
    /// those newly stored. Same semantics as <see cref="StoreOneAsync"/>.
    /// </summary>
    private static async Task StoreSinglesAsync(PostgresWork work, IReadOnlyList<MessageToStore> messages, int start, int end, IReadOnlyList<DeliveryOutcome>[] results, long now, long day, int maxQueueLength, CancellationToken ct)
    {
        var fullQueues = new HashSet<DeviceAddress>();
        bool full = false;
        var batch = new Npgsql.NpgsqlBatch(work.Connection, work.Transaction);
        await using (batch.ConfigureAwait(false))
        {
            for (int m = start; m < end; m++)
            {
                MessageToStore message = messages[m];
                DeviceAddress recipient = message.Recipients[0];
                var command = new Npgsql.NpgsqlBatchCommand(StoreSingleSql);
                command.Parameters.AddWithValue("n", recipient.Name);
                command.Parameters.AddWithValue("d", recipient.Device);
                command.Parameters.AddWithValue("id", message.MessageId);
                command.Parameters.AddWithValue("e", message.ExpiresAtMilliseconds);
                command.Parameters.AddWithValue("sn", message.Sender.Name);
                command.Parameters.AddWithValue("sd", message.Sender.Device);
                command.Parameters.AddWithValue("env", message.Envelope);
                batch.BatchCommands.Add(command);
            }

            Npgsql.NpgsqlDataReader reader = await batch.ExecuteReaderAsync(ct).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                for (int m = start; m < end; m++)
                {
                    if (m > start)
                    {
                        await reader.NextResultAsync(ct).ConfigureAwait(false);
                    }

                    await reader.ReadAsync(ct).ConfigureAwait(false);
                    bool known = reader.GetBoolean(0);
                    long? seq = reader.IsDBNull(1) ? null : reader.GetInt64(1);
                    results[m] = [!known ? DeliveryOutcome.UnknownRecipient : seq is null ? DeliveryOutcome.Duplicate : DeliveryOutcome.Stored];
                    full |= seq > maxQueueLength;
                    if (seq > maxQueueLength)
                    {
                        fullQueues.Add(messages[m].Recipients[0]);
                    }
                }
            }
        }

        var follow = new Npgsql.NpgsqlBatch(work.Connection, work.Transaction);
        await using (follow.ConfigureAwait(false))
        {
            for (int m = start; m < end; m++)
            {
                MessageToStore message = messages[m];
                if (results[m][0] != DeliveryOutcome.Stored)
                {
                    continue;
                }

                DeviceAddress recipient = message.Recipients[0];
                foreach (BillingCharge charge in message.Charges)
                {
                    if (charge.RecipientAccount != recipient.Name)
                    {
                        continue;
                    }

                    var bill = new Npgsql.NpgsqlBatchCommand(BillSql);
                    bill.Parameters.AddWithValue("b", charge.BusinessAccount);
                    bill.Parameters.AddWithValue("r", charge.RecipientAccount);
                    bill.Parameters.AddWithValue("id", message.MessageId);
                    bill.Parameters.AddWithValue("e", message.ExpiresAtMilliseconds);
                    bill.Parameters.AddWithValue("day", (int)day);
                    bill.Parameters.AddWithValue("c", charge.Category);
                    follow.BatchCommands.Add(bill);
                }

                if (message.Touch is { } touch)
                {
                    var window = new Npgsql.NpgsqlBatchCommand(TouchSql);
                    window.Parameters.AddWithValue("c", touch.Customer);
                    window.Parameters.AddWithValue("b", touch.Business);
                    window.Parameters.AddWithValue("w", now + (long)ConsentPolicy.ServiceWindowMilliseconds);
                    follow.BatchCommands.Add(window);
                }
            }

            if (full)
            {
                // Rare: a device's queue went past its bound; each is trimmed once to its newest entries.
                foreach (DeviceAddress device in fullQueues)
                {
                    var trim = new Npgsql.NpgsqlBatchCommand(TrimFullQueueSql);
                    trim.Parameters.AddWithValue("n", device.Name);
                    trim.Parameters.AddWithValue("d", device.Device);
                    trim.Parameters.AddWithValue("max", (long)maxQueueLength);
                    follow.BatchCommands.Add(trim);
                }
            }

            if (follow.BatchCommands.Count > 0)
            {
                await follow.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// One message to one device in one statement: the dedup key only if the device exists, then (only
    /// if the key is new) the next sequence number, the message row and the queue entry. Returns whether
    /// the device exists and the sequence number (NULL for a duplicate).
    /// </summary>
    private const string StoreSingleSql = """
        WITH dev AS (
            SELECT 1 FROM devices WHERE name = @n AND device = @d
        ), fresh AS (
            INSERT INTO delivered_ids (name, device, message_id, expires_at)
            SELECT @n, @d, @id, @e WHERE EXISTS (SELECT 1 FROM dev)
            ON CONFLICT (name, device, message_id) DO NOTHING
            RETURNING 1
        ), seq AS (
            UPDATE devices SET next_seq = next_seq + 1
            WHERE name = @n AND device = @d AND EXISTS (SELECT 1 FROM fresh)
            RETURNING next_seq - 1 AS seq
        ), msg AS (
            INSERT INTO messages (sender_name, sender_device, envelope, expires_at)
            SELECT @sn, @sd, @env, @e WHERE EXISTS (SELECT 1 FROM seq)
            RETURNING id
        ), queued AS (
            INSERT INTO queue (name, device, seq, message)
            SELECT @n, @d, seq.seq, msg.id FROM seq, msg
            RETURNING seq
        )
        SELECT EXISTS (SELECT 1 FROM dev), (SELECT seq FROM queued);
        """;

    /// <summary>Trims a device's queue to its newest <c>@max</c> entries (counting them for the notice, deleting orphaned messages); usually nothing to do.</summary>
    private const string TrimFullQueueSql = """
        WITH cut AS (
            DELETE FROM queue
            WHERE name = @n AND device = @d
              AND seq <= (SELECT next_seq - 1 - @max FROM devices WHERE name = @n AND device = @d)
            RETURNING message
        ), counted AS (
            UPDATE devices SET trimmed = trimmed + (SELECT count(*) FROM cut)
            WHERE name = @n AND device = @d AND EXISTS (SELECT 1 FROM cut)
        )
        DELETE FROM messages m
        WHERE m.id IN (SELECT message FROM cut)
          AND NOT EXISTS (SELECT 1 FROM queue q WHERE q.message = m.id AND (q.name, q.device) <> (@n, @d));
        """;

    /// <summary>The billing key of a charge, and the ledger row only if the key is new.</summary>
    private const string BillSql = """
        WITH billed_now AS (
            INSERT INTO billed (business, recipient, message_id, expires_at) VALUES (@b, @r, @id, @e)
            ON CONFLICT (business, recipient, message_id) DO NOTHING
            RETURNING 1
        )
        INSERT INTO usage (account, day, category, messages)
        SELECT @b, @day, @c, 1 WHERE EXISTS (SELECT 1 FROM billed_now)
        ON CONFLICT (account, day, category) DO UPDATE SET messages = usage.messages + 1;
        """;

    /// <summary>
    /// Opens or renews a customer's service window with a business (PROTOCOL.md 17.3: window_until =
    /// max(window_until, now + 24 h), unless the pair is blocked). Shared by both store paths.
    /// </summary>
    private const string TouchSql =
        "INSERT INTO consent (customer, business, window_until) VALUES (@c, @b, @w) ON CONFLICT (customer, business) DO UPDATE SET window_until = greatest(consent.window_until, excluded.window_until) WHERE consent.blocked = 0;";

    private static async Task<DeliveryOutcome[]> StoreOneAsync(PostgresWork work, MessageToStore message, long now, long day, int maxQueueLength, CancellationToken ct)
    {
        var outcomes = new DeliveryOutcome[message.Recipients.Count];
        long messageRow = 0;
        HashSet<string>? newlyReached = null;
        for (int i = 0; i < outcomes.Length; i++)
        {
            DeviceAddress recipient = message.Recipients[i];
            int fresh = await PostgresWork.ExecuteAsync(
                work.Command("INSERT INTO delivered_ids (name, device, message_id, expires_at) VALUES (@n, @d, @id, @e) ON CONFLICT (name, device, message_id) DO NOTHING;")
                    .WithDevice(recipient).With("id", message.MessageId).With("e", message.ExpiresAtMilliseconds),
                ct).ConfigureAwait(false);
            if (fresh == 0)
            {
                outcomes[i] = DeliveryOutcome.Duplicate;
                continue;
            }

            object? sequence = await PostgresWork.ScalarAsync(work.Command("UPDATE devices SET next_seq = next_seq + 1 WHERE name = @n AND device = @d RETURNING next_seq - 1;").WithDevice(recipient), ct).ConfigureAwait(false);
            if (sequence is not long seq)
            {
                await PostgresWork.ExecuteAsync(work.Command("DELETE FROM delivered_ids WHERE name = @n AND device = @d AND message_id = @id;").WithDevice(recipient).With("id", message.MessageId), ct).ConfigureAwait(false);
                outcomes[i] = DeliveryOutcome.UnknownRecipient;
                continue;
            }

            if (messageRow == 0)
            {
                messageRow = (long)(await PostgresWork.ScalarAsync(
                    work.Command("INSERT INTO messages (sender_name, sender_device, envelope, expires_at) VALUES (@sn, @sd, @env, @e) RETURNING id;")
                        .With("sn", message.Sender.Name).With("sd", message.Sender.Device).With("env", message.Envelope).With("e", message.ExpiresAtMilliseconds),
                    ct).ConfigureAwait(false))!;
            }

            await PostgresWork.ExecuteAsync(work.Command("INSERT INTO queue (name, device, seq, message) VALUES (@n, @d, @s, @m);").WithDevice(recipient).With("s", seq).With("m", messageRow), ct).ConfigureAwait(false);
            if (seq > maxQueueLength)
            {
                await TrimAsync(work, recipient, seq - maxQueueLength, ct).ConfigureAwait(false);
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

            int billed = await PostgresWork.ExecuteAsync(
                work.Command("INSERT INTO billed (business, recipient, message_id, expires_at) VALUES (@b, @r, @id, @e) ON CONFLICT (business, recipient, message_id) DO NOTHING;")
                    .With("b", charge.BusinessAccount).With("r", charge.RecipientAccount).With("id", message.MessageId).With("e", message.ExpiresAtMilliseconds),
                ct).ConfigureAwait(false);
            if (billed == 1)
            {
                await PostgresWork.ExecuteAsync(
                    work.Command("INSERT INTO usage (account, day, category, messages) VALUES (@a, @day, @c, 1) ON CONFLICT (account, day, category) DO UPDATE SET messages = usage.messages + 1;")
                        .With("a", charge.BusinessAccount).With("day", (int)day).With("c", charge.Category),
                    ct).ConfigureAwait(false);
            }
        }

        if (message.Touch is { } touch)
        {
            await PostgresWork.ExecuteAsync(
                work.Command(TouchSql)
                    .With("c", touch.Customer).With("b", touch.Business).With("w", now + (long)ConsentPolicy.ServiceWindowMilliseconds),
                ct).ConfigureAwait(false);
        }

        return outcomes;
    }

    private static async Task TrimAsync(PostgresWork work, DeviceAddress device, long throughSequence, CancellationToken ct)
    {
        List<long> messages = await PostgresWork.RowsAsync(
            work.Command("DELETE FROM queue WHERE name = @n AND device = @d AND seq <= @s RETURNING message;").WithDevice(device).With("s", throughSequence),
            reader => reader.GetInt64(0),
            ct).ConfigureAwait(false);
        if (messages.Count == 0)
        {
            return;
        }

        await PostgresWork.ExecuteAsync(work.Command("UPDATE devices SET trimmed = trimmed + @c WHERE name = @n AND device = @d;").WithDevice(device).With("c", (long)messages.Count), ct).ConfigureAwait(false);
        await DeleteOrphansAsync(work, messages, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Deletes the messages no queue entry refers to any more. The message rows are locked first (in id
    /// order), so of two transactions removing the last two entries of one post on different nodes, the
    /// second sees the first's commit and deletes the message.
    /// </summary>
    private static async Task DeleteOrphansAsync(PostgresWork work, List<long> messages, CancellationToken ct)
    {
        if (messages.Count == 0)
        {
            return;
        }

        long[] ids = [.. messages.Distinct()];
        await PostgresWork.ExecuteAsync(work.Command("SELECT 1 FROM messages WHERE id = ANY(@m) ORDER BY id FOR UPDATE;").With("m", ids), ct).ConfigureAwait(false);
        await PostgresWork.ExecuteAsync(work.Command("DELETE FROM messages m WHERE m.id = ANY(@m) AND NOT EXISTS (SELECT 1 FROM queue q WHERE q.message = m.id);").With("m", ids), ct).ConfigureAwait(false);
    }
}
