using E2eChat.Wire;

namespace E2eChat.Relay.Server.Storage.Sqlite;

/// <content>
/// Storing a batch with few statements: the dedup keys looked up (in memory, then in
/// <c>delivered_ids</c>) and the new ones appended in multi-row inserts, one sequence-number update
/// per recipient device, the message rows and the queue entries in multi-row
/// inserts, one trim per device, the ledger counters summed per (account, category), and one window
/// update per (customer, business). The outcome is that of storing the messages one after another.
/// A message queued for one device only keeps its envelope inline in the queue entry (schema version
/// 4); one queued for several (a post), or too large to sit in a queue row, gets one shared message row.
/// </content>
internal sealed partial class SqliteRelayStore
{
    private const string RecentKeyHead = "INSERT INTO recent_ids (name, device, message_id, expires_at)";
    private const string MessageHead = "INSERT INTO messages (id, sender_name, sender_device, envelope, expires_at)";
    private const string SharedQueueHead = "INSERT INTO queue (name, device, seq, expires_at, message)";
    private const string InlineQueueHead = "INSERT INTO queue (name, device, seq, expires_at, sender_name, envelope)";

    /// <summary>
    /// The largest envelope kept inline in its queue entry. The queue is a WITHOUT ROWID table, whose
    /// rows SQLite keeps whole on a 4 KiB b-tree page only up to about 1,000 bytes (the rest goes to an
    /// overflow page of its own); 768 bytes of envelope leave room for the key, the sender's name and
    /// the expiry. A larger envelope (e.g. a first message carrying a KEM ciphertext) goes to a message
    /// row, whose rowid table keeps up to about 4,000 bytes on its page.
    /// </summary>
    private const int MaxInlineEnvelopeLength = 768;

    private async ValueTask<IReadOnlyList<IReadOnlyList<DeliveryOutcome>>> StoreCoreAsync(IReadOnlyList<MessageToStore> messages, long nowMilliseconds, int maxQueueLength, ICollection<StoredDelivery>? stored, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxQueueLength, 1);
        StoredBatch batch = await Write(() => StoreBatch(messages, nowMilliseconds, maxQueueLength), cancellationToken).ConfigureAwait(false);

        // Only now, after the commit, does anything reach a receive stream.
        if (stored is not null)
        {
            foreach (StoredDelivery delivery in batch.Deliveries)
            {
                stored.Add(delivery);
            }
        }

        return batch.Outcomes;
    }

    /// <summary>Under the writer: stores the batch (see the type's remarks).</summary>
    private StoredBatch StoreBatch(IReadOnlyList<MessageToStore> messages, long now, int maxQueueLength)
    {
        var outcomes = new DeliveryOutcome[messages.Count][];
        var entries = new List<BatchEntry>();
        for (int m = 0; m < messages.Count; m++)
        {
            MessageToStore message = messages[m];
            outcomes[m] = new DeliveryOutcome[message.Recipients.Count];
            for (int r = 0; r < message.Recipients.Count; r++)
            {
                entries.Add(new BatchEntry(m, r, new DedupKey(message.Recipients[r], message.MessageId)));
            }
        }

        // 1. Dedup keys (SqliteRelayStore.Dedup.cs). The first entry of a new key claims it; any later
        //    entry with the same key, and every entry of a key that existed, is a duplicate (as if stored
        //    one by one).
        SqliteRawStatement deliveredProbe = DeliveredProbe();
        var claimed = new HashSet<DedupKey>();
        var fresh = new List<BatchEntry>();
        var laterCopies = new List<BatchEntry>();
        var byDevice = new Dictionary<DeviceAddress, List<int>>();
        foreach (BatchEntry entry in entries)
        {
            if (claimed.Contains(entry.Key))
            {
                outcomes[entry.Message][entry.Recipient] = DeliveryOutcome.Duplicate;
                laterCopies.Add(entry);
            }
            else if (!TryClaimDedupKey(entry.Key, deliveredProbe))
            {
                outcomes[entry.Message][entry.Recipient] = DeliveryOutcome.Duplicate;
            }
            else
            {
                claimed.Add(entry.Key);
                outcomes[entry.Message][entry.Recipient] = DeliveryOutcome.Stored;
                DeviceAddress device = messages[entry.Message].Recipients[entry.Recipient];
                if (!byDevice.TryGetValue(device, out List<int>? indexes))
                {
                    byDevice.Add(device, indexes = []);
                }

                indexes.Add(fresh.Count);
                fresh.Add(entry);
            }
        }

        // 2. Sequence numbers: one update per device takes a run for all its new entries (on PostgreSQL
        //    the same update is the row lock that keeps commit order equal to sequence order).
        var sequences = new long[fresh.Count];
        var lastSequence = new List<(DeviceAddress Device, long Last)>(byDevice.Count);
        HashSet<DedupKey>? unknownKeys = null;
        foreach ((DeviceAddress device, List<int> indexes) in byDevice)
        {
            SqliteRawStatement update = Raw("UPDATE devices SET next_seq = next_seq + ?3 WHERE name = ?1 AND device = ?2 RETURNING next_seq - ?3;");
            long? first;
            try
            {
                update.Bind(1, device.Name).Bind(2, device.Device).Bind(3, indexes.Count);
                first = update.Step() ? update.Int64(0) : null;
            }
            finally
            {
                update.Reset();
            }

            if (first is long firstSequence)
            {
                for (int j = 0; j < indexes.Count; j++)
                {
                    sequences[indexes[j]] = firstSequence + j;
                }

                lastSequence.Add((device, firstSequence + indexes.Count - 1));
                continue;
            }

            // Not registered: nothing stays queued or marked as delivered for it.
            foreach (int index in indexes)
            {
                BatchEntry entry = fresh[index];
                ReleaseDedupKey(entry.Key);
                outcomes[entry.Message][entry.Recipient] = DeliveryOutcome.UnknownRecipient;
                (unknownKeys ??= []).Add(entry.Key);
            }
        }

        if (unknownKeys is not null)
        {
            // One by one, a later copy would have found the key deleted and failed the same way.
            foreach (BatchEntry copy in laterCopies)
            {
                if (unknownKeys.Contains(copy.Key))
                {
                    outcomes[copy.Message][copy.Recipient] = DeliveryOutcome.UnknownRecipient;
                }
            }
        }

        // 3. The queue entries: inline for a message queued for one device, else after one shared
        //    message row per message.
        var storedIndexes = new List<int>(fresh.Count);
        var storedPerMessage = new int[messages.Count];
        for (int index = 0; index < fresh.Count; index++)
        {
            if (outcomes[fresh[index].Message][fresh[index].Recipient] == DeliveryOutcome.Stored)
            {
                storedIndexes.Add(index);
                storedPerMessage[fresh[index].Message]++;
            }
        }

        var inlineIndexes = new List<int>(storedIndexes.Count);
        List<int>? sharedIndexes = null;
        foreach (int index in storedIndexes)
        {
            int m = fresh[index].Message;
            if (storedPerMessage[m] == 1 && messages[m].Envelope.Length <= MaxInlineEnvelopeLength)
            {
                inlineIndexes.Add(index);
            }
            else
            {
                (sharedIndexes ??= []).Add(index);
            }
        }

        AppendRecentKeys(messages, fresh, storedIndexes);
        InsertInlineEntries(messages, fresh, inlineIndexes, sequences);
        if (sharedIndexes is not null)
        {
            var messageRows = new long[messages.Count];
            InsertMessageRows(messages, fresh, sharedIndexes, messageRows);
            InsertSharedEntries(messages, fresh, sharedIndexes, sequences, messageRows);
        }

        // 4. Trims, once per device, through its last new sequence number.
        HashSet<DeviceAddress>? trimmed = null;
        foreach ((DeviceAddress device, long last) in lastSequence)
        {
            if (last > maxQueueLength && Trim(device, last - maxQueueLength) > 0)
            {
                (trimmed ??= []).Add(device);
            }
        }

        // 5. Ledger and service window, per message that newly reached someone.
        ApplyChargesAndTouches(messages, outcomes, now);

        var deliveries = new List<StoredDelivery>(storedIndexes.Count);
        foreach (int index in storedIndexes)
        {
            BatchEntry entry = fresh[index];
            MessageToStore message = messages[entry.Message];
            DeviceAddress device = message.Recipients[entry.Recipient];
            if (trimmed is null || !trimmed.Contains(device))
            {
                deliveries.Add(new StoredDelivery(device, new QueuedDelivery(sequences[index], message.Envelope), message.ExpiresAtMilliseconds));
            }
        }

        return new StoredBatch(outcomes, deliveries);
    }

    /// <summary>The writer's prepared multi-row statement <c>head VALUES (...), ... tail</c> (<see cref="SqliteMultiRow"/>).</summary>
    private SqliteRawStatement MultiRow(string head, string tail, int columns, int rows)
    {
        SqliteRawStatement statement = Raw(SqliteMultiRow.Text(head, tail, columns, rows));
        if (statement.ParameterCount != columns * rows)
        {
            // The texts number their parameters row by row, column by column: Cell depends on it.
            throw new InvalidOperationException("A multi-row statement's parameters are not numbered row by row.");
        }

        return statement;
    }

    /// <summary>Inserts the queue entries that carry their envelope.</summary>
    private void InsertInlineEntries(IReadOnlyList<MessageToStore> messages, List<BatchEntry> fresh, List<int> inlineIndexes, long[] sequences) =>
        InsertRows(InlineQueueHead, 6, inlineIndexes, (command, r, index) =>
        {
            BatchEntry entry = fresh[index];
            MessageToStore message = messages[entry.Message];
            DeviceAddress device = message.Recipients[entry.Recipient];
            command.Cell(6, r, 0, device.Name).Cell(6, r, 1, device.Device).Cell(6, r, 2, sequences[index])
                .Cell(6, r, 3, message.ExpiresAtMilliseconds).Cell(6, r, 4, message.Sender.Name).Cell(6, r, 5, message.Envelope);
        });

    /// <summary>Inserts one message row per message that has a shared entry; ids follow the largest one in use.</summary>
    private void InsertMessageRows(IReadOnlyList<MessageToStore> messages, List<BatchEntry> fresh, List<int> storedIndexes, long[] messageRows)
    {
        var rowsToInsert = new List<int>();
        foreach (int index in storedIndexes)
        {
            int m = fresh[index].Message;
            if (messageRows[m] == 0)
            {
                messageRows[m] = -1;
                rowsToInsert.Add(m);
            }
        }

        // The writer is the only one inserting, inside this transaction: the ids are free.
        long next = (long)Command("SELECT coalesce(max(id), 0) FROM messages;").ExecuteScalar()! + 1;
        InsertRows(MessageHead, 5, rowsToInsert, (command, r, m) =>
        {
            MessageToStore message = messages[m];
            messageRows[m] = next++;
            command.Cell(5, r, 0, messageRows[m]).Cell(5, r, 1, message.Sender.Name).Cell(5, r, 2, message.Sender.Device)
                .Cell(5, r, 3, message.Envelope).Cell(5, r, 4, message.ExpiresAtMilliseconds);
        });
    }

    /// <summary>Inserts the queue entries that refer to a shared message row.</summary>
    private void InsertSharedEntries(IReadOnlyList<MessageToStore> messages, List<BatchEntry> fresh, List<int> sharedIndexes, long[] sequences, long[] messageRows) =>
        InsertRows(SharedQueueHead, 5, sharedIndexes, (command, r, index) =>
        {
            BatchEntry entry = fresh[index];
            MessageToStore message = messages[entry.Message];
            DeviceAddress device = message.Recipients[entry.Recipient];
            command.Cell(5, r, 0, device.Name).Cell(5, r, 1, device.Device).Cell(5, r, 2, sequences[index])
                .Cell(5, r, 3, message.ExpiresAtMilliseconds).Cell(5, r, 4, messageRows[entry.Message]);
        });

    /// <summary>
    /// Inserts one row per item with multi-row statements of <paramref name="head"/> (chunks of
    /// <see cref="SqliteMultiRow.Chunks"/>); <paramref name="bindRow"/> binds an item's row (the
    /// command, the row within the statement, the item), rows in order.
    /// </summary>
    private void InsertRows(string head, int columns, List<int> items, Action<SqliteRawStatement, int, int> bindRow)
    {
        int offset = 0;
        foreach (int rows in SqliteMultiRow.Chunks(items.Count))
        {
            SqliteRawStatement insert = MultiRow(head, ";", columns, rows);
            try
            {
                for (int r = 0; r < rows; r++)
                {
                    bindRow(insert, r, items[offset + r]);
                }
            }
            catch
            {
                insert.Reset();
                throw;
            }

            insert.Execute();
            offset += rows;
        }
    }

    /// <summary>
    /// The ledger (each charge whose recipient account newly got the message, once per business,
    /// recipient and message id) with the usage counters summed per (business, category) and written
    /// once each, and the service windows, once per (customer, business).
    /// </summary>
    private void ApplyChargesAndTouches(IReadOnlyList<MessageToStore> messages, DeliveryOutcome[][] outcomes, long now)
    {
        Dictionary<(string Account, string Category), long>? usage = null;
        HashSet<ConversationTouch>? touches = null;
        var newlyReached = new HashSet<string>(StringComparer.Ordinal);
        for (int m = 0; m < messages.Count; m++)
        {
            MessageToStore message = messages[m];
            newlyReached.Clear();
            for (int r = 0; r < outcomes[m].Length; r++)
            {
                if (outcomes[m][r] == DeliveryOutcome.Stored)
                {
                    newlyReached.Add(message.Recipients[r].Name);
                }
            }

            if (newlyReached.Count == 0)
            {
                continue;
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
                    usage ??= [];
                    (string, string) key = (charge.BusinessAccount, charge.Category);
                    usage[key] = usage.GetValueOrDefault(key) + 1;
                }
            }

            if (message.Touch is { } touch)
            {
                (touches ??= []).Add(touch);
            }
        }

        if (usage is not null)
        {
            long day = now / RelayServerLimits.MillisecondsPerDay;
            foreach (((string account, string category), long count) in usage)
            {
                Command("INSERT INTO usage (account, day, category, messages) VALUES ($a, $day, $c, $k) ON CONFLICT (account, day, category) DO UPDATE SET messages = messages + excluded.messages;")
                    .With("$a", account).With("$day", day).With("$c", category).With("$k", count).ExecuteNonQuery();
            }
        }

        if (touches is not null)
        {
            // PROTOCOL.md 17.3: window_until = max(window_until, now + 24 h), unless blocked; the same
            // value for every message of the batch, so once per pair is the same.
            foreach (ConversationTouch touch in touches)
            {
                Command("INSERT INTO consent (customer, business, window_until) VALUES ($c, $b, $w) ON CONFLICT (customer, business) DO UPDATE SET window_until = max(window_until, excluded.window_until) WHERE consent.blocked = 0;")
                    .With("$c", touch.Customer).With("$b", touch.Business).With("$w", now + (long)ConsentPolicy.ServiceWindowMilliseconds).ExecuteNonQuery();
            }
        }
    }

    /// <summary>One (message, recipient) of a batch and its dedup key.</summary>
    private readonly record struct BatchEntry(int Message, int Recipient, DedupKey Key);

    /// <summary>What a batch did, and the committed entries for live delivery.</summary>
    private sealed record StoredBatch(DeliveryOutcome[][] Outcomes, List<StoredDelivery> Deliveries);
}
