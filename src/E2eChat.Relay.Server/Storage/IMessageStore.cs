namespace E2eChat.Relay.Server.Storage;

/// <summary>Store and forward: durable queues, de-duplication and the metering that goes with them.</summary>
internal interface IMessageStore
{
    /// <summary>
    /// Stores a batch in one transaction: each message once, a queue entry per recipient device
    /// unless that (device, message id) was queued before, the ledger charges of the recipient
    /// accounts that newly got it, the service window, and trims queues beyond
    /// <paramref name="maxQueueLength"/> (oldest first, counted for a notice). All or nothing.
    /// </summary>
    /// <param name="messages">The messages.</param>
    /// <param name="nowMilliseconds">The time (Unix milliseconds): the ledger day and window timestamp.</param>
    /// <param name="maxQueueLength">The bound on each device's queue.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Per message, an outcome per recipient (same order).</returns>
    ValueTask<IReadOnlyList<IReadOnlyList<DeliveryOutcome>>> StoreAsync(IReadOnlyList<MessageToStore> messages, long nowMilliseconds, int maxQueueLength, CancellationToken cancellationToken);

    /// <summary>
    /// <see cref="StoreAsync(IReadOnlyList{MessageToStore}, long, int, CancellationToken)"/>, and after the
    /// commit adds to <paramref name="stored"/> the queue entries it made that a receive stream may send
    /// from memory. A store may add only some or none (then streams read them back); it leaves out the
    /// entries of a device whose queue it trimmed in this batch, so the stream reads the trim count.
    /// </summary>
    /// <param name="messages">The messages.</param>
    /// <param name="nowMilliseconds">The time (Unix milliseconds): the ledger day and window timestamp.</param>
    /// <param name="maxQueueLength">The bound on each device's queue.</param>
    /// <param name="stored">Receives the committed queue entries; untouched when the call fails.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Per message, an outcome per recipient (same order).</returns>
    ValueTask<IReadOnlyList<IReadOnlyList<DeliveryOutcome>>> StoreAsync(IReadOnlyList<MessageToStore> messages, long nowMilliseconds, int maxQueueLength, ICollection<StoredDelivery> stored, CancellationToken cancellationToken);

    /// <summary>Reads a device's queue after a sequence number, skipping expired messages.</summary>
    /// <param name="device">The device.</param>
    /// <param name="afterSequence">Only deliveries with a greater sequence (0 for all).</param>
    /// <param name="limit">The most deliveries to return.</param>
    /// <param name="nowMilliseconds">The time; expired messages are not returned.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The deliveries in order and the trim count.</returns>
    ValueTask<QueuePage> ReadQueueAsync(DeviceAddress device, long afterSequence, int limit, long nowMilliseconds, CancellationToken cancellationToken);

    /// <summary>Deletes acknowledged deliveries (and a message once no device waits for it) and subtracts noticed trims.</summary>
    /// <param name="device">The device.</param>
    /// <param name="sequences">The acknowledged sequence numbers (unknown ones are ignored).</param>
    /// <param name="trimmedNoticed">Trimmed messages the device was told of.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many deliveries were deleted.</returns>
    ValueTask<int> AcknowledgeAsync(DeviceAddress device, IReadOnlyList<long> sequences, long trimmedNoticed, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes everything queued for any device of <paramref name="recipientAccount"/> sent by any device
    /// of <paramref name="senderAccount"/> (a block).
    /// </summary>
    /// <param name="recipientAccount">The blocking account.</param>
    /// <param name="senderAccount">The blocked account.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many queue entries were deleted.</returns>
    ValueTask<int> PurgeFromSenderAsync(string recipientAccount, string senderAccount, CancellationToken cancellationToken);

    /// <summary>Deletes expired messages (from every queue), dedup and billing keys, and used challenges.</summary>
    /// <param name="nowMilliseconds">The time.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>What was deleted.</returns>
    ValueTask<ExpiryCounts> DeleteExpiredAsync(long nowMilliseconds, CancellationToken cancellationToken);
}
