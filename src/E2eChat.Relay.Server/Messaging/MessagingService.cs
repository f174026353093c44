using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using E2eChat.Relay.Server.Api;
using DeviceAddress = E2eChat.Relay.Server.Addressing.DeviceAddress;
using E2eChat.Relay.Server.Billing;
using E2eChat.Relay.Server.Policy;
using Microsoft.Extensions.Options;

namespace E2eChat.Relay.Server.Messaging;

/// <summary>
/// The <c>Messaging</c> service: <c>Send</c> and <c>Post</c> validate everything first (a malformed
/// item fails the call and nothing is stored), then ask the policy and the rate limiter per delivery,
/// then store the accepted ones in one transaction; <c>Receive</c> streams a device's queue and deletes
/// what it acknowledges.
/// </summary>
internal sealed partial class MessagingService(
    IRelayStore store,
    IDeliveryPolicy policy,
    PairRateLimiter rateLimiter,
    IQueueSignal signal,
    ReceiveStreamRegistry streams,
    IReceiveStreamAnnouncer announcer,
    TimeProvider time,
    IOptions<RelayOptions> options,
    IHostApplicationLifetime lifetime,
    ILogger<MessagingService> logger)
{
    private readonly IRelayStore _store = store;
    private readonly IDeliveryPolicy _policy = policy;
    private readonly PairRateLimiter _rateLimiter = rateLimiter;
    private readonly IQueueSignal _signal = signal;
    private readonly ReceiveStreamRegistry _streams = streams;
    private readonly IReceiveStreamAnnouncer _announcer = announcer;
    private readonly TimeProvider _time = time;
    private readonly RelayOptions _options = options.Value;
    private readonly IHostApplicationLifetime _lifetime = lifetime;
    private readonly ILogger<MessagingService> _logger = logger;

    /// <summary>A stream write that stays in the transport's buffer until a later flushed one.</summary>
    private static readonly WriteOptions BufferedWrite = new(WriteFlags.BufferHint);

    /// <summary>A stream write that flushes it and everything buffered before it.</summary>
    private static readonly WriteOptions FlushedWrite = new();

    /// <summary>The status detail for a <c>Send</c> batch beyond its limit (built once, not per call).</summary>
    private static readonly string BatchTooLargeDetail = $"a batch holds at most {RelayServerLimits.MaxBatchEnvelopes} envelopes";

    /// <summary>The status detail for a <c>Post</c> audience beyond its limit (built once, not per call).</summary>
    private static readonly string AudienceTooLargeDetail = $"an audience holds at most {RelayServerLimits.MaxAudience} devices per call";

    /// <summary>See <c>relay.proto</c>.</summary>
    /// <param name="request">The request.</param>
    /// <param name="context">The call.</param>
    /// <returns>The response.</returns>
    public async Task<SendResponse> Send(SendRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        AuthenticatedDevice device = AuthenticatedDevice.From(context);
        CancellationToken cancellationToken = context.CancellationToken;
        DateTimeOffset now = _time.GetUtcNow();
        long nowMs = now.ToUnixTimeMilliseconds();
        int count = request.Envelopes.Count;
        RequireCount(count, RelayServerLimits.MaxBatchEnvelopes, "the batch has no envelope", BatchTooLargeDetail);

        // 1. Validate everything before anything else: a malformed batch stores nothing.
        // (Names equal to the sender's or the previous envelope's recipient reuse that string.)
        var facts = new RoutingFacts[count];
        var recipients = new Dictionary<DeviceAddress, DeviceRegistration>();
        string? previousRecipient = null;
        for (int i = 0; i < count; i++)
        {
            facts[i] = Inspect(request.Envelopes[i].Span, i, device.Address.Name, previousRecipient);
            RequireSender(facts[i], device, i);
            DeviceAddress recipient = facts[i].Recipient;
            previousRecipient = recipient.Name;
            if (!recipients.TryGetValue(recipient, out DeviceRegistration? registration))
            {
                registration = await _store.GetDeviceAsync(recipient, cancellationToken).ConfigureAwait(false)
                    ?? throw RelayErrors.ForItem(StatusCode.NotFound, RelayFailure.UnknownRecipient, i, $"{recipient} is not registered");
                recipients.Add(recipient, registration);
            }

            if (registration.Kind != facts[i].RecipientKind)
            {
                throw RelayErrors.ForItem(StatusCode.InvalidArgument, RelayFailure.RecipientKindMismatch, i, $"{recipient} is registered as {registration.Kind}");
            }
        }

        // 2. Expiry, policy and rate limit per envelope; 3. store the accepted ones together.
        var results = new EnvelopeResult[count];
        var toStore = new List<MessageToStore>(count);
        var storedIndex = new List<int>(count);

        // One token per logical message (recipient account, message id), so a fan-out to several
        // devices of one account costs one. A batch holds at most MaxBatchEnvelopes, so the logical
        // messages seen so far are searched in a list; the bucket is looked up once per account in a row.
        var logical = new List<(string Account, Guid MessageId, EnvelopeResult? Limited)>(count);
        PairRateLimiter.Bucket? bucket = null;
        string? bucketAccount = null;
        long rateNowMs = 0;
        DeviceAddress[]? recipientList = null;
        for (int i = 0; i < count; i++)
        {
            RoutingFacts f = facts[i];
            DeviceRegistration recipient = recipients[f.Recipient];
            if (f.Kind == EnvelopeType.SenderKey && f.ExpiresAtMilliseconds != 0 && f.ExpiresAtMilliseconds <= (ulong)nowMs)
            {
                results[i] = new EnvelopeResult { Status = EnvelopeStatus.Expired };
                continue;
            }

            PolicyDecision decision = await _policy.EvaluateAsync(new DeliveryRequest(f, f.Recipient, recipient.Kind, IsPost: false), _store, now, cancellationToken).ConfigureAwait(false);
            if (!decision.Deliver)
            {
                results[i] = Refused(decision.Reason);
                continue;
            }

            // (The 16-byte id as a Guid: the same bytes give the same key, without a string per envelope.)
            var messageId = new Guid(f.MessageId);
            int seen = IndexOfLogical(logical, f.Recipient.Name, messageId);
            EnvelopeResult? limited;
            if (seen >= 0)
            {
                limited = logical[seen].Limited;
            }
            else
            {
                if (!string.Equals(bucketAccount, f.Recipient.Name, StringComparison.Ordinal))
                {
                    rateNowMs = _time.GetUtcNow().ToUnixTimeMilliseconds();
                    bucket = _rateLimiter.BucketFor(new RateKey(device.Address, f.Recipient.Name), rateNowMs);
                    bucketAccount = f.Recipient.Name;
                }

                limited = _rateLimiter.TryTake(bucket!, rateNowMs, out TimeSpan retryAfter)
                    ? null
                    : RateLimited(retryAfter);
                logical.Add((f.Recipient.Name, messageId, limited));
            }

            if (limited is not null)
            {
                results[i] = limited.Clone();
                continue;
            }

            // Envelopes to the same device in a row share one recipient list.
            if (recipientList is null || recipientList[0] != f.Recipient)
            {
                recipientList = [f.Recipient];
            }

            toStore.Add(new MessageToStore(
                device.Address,
                f.MessageId,
                OwnBytes(request.Envelopes[i]),
                ExpiresAt(f, nowMs),
                recipientList,
                MeteringRules.Charges(device.Address.Name, f.Recipient.Name, MeteringRules.CategoryOf(f, recipient.Kind)),
                MeteringRules.Touch(f, recipient.Kind)));
            storedIndex.Add(i);
        }

        if (toStore.Count > 0)
        {
            var committed = new List<StoredDelivery>(toStore.Count);
            IReadOnlyList<IReadOnlyList<DeliveryOutcome>> outcomes = await _store.StoreAsync(toStore, nowMs, _options.MaxQueueLength, committed, cancellationToken).ConfigureAwait(false);

            // Entries the store reported go to the recipients' streams from memory; for any other
            // stored one the streams read their queues.
            HashSet<DeviceAddress>? handedOver = committed.Count > 0 ? [] : null;
            foreach (StoredDelivery delivery in committed)
            {
                handedOver!.Add(delivery.Device);
                _signal.Offer(delivery);
            }

            for (int k = 0; k < outcomes.Count; k++)
            {
                DeliveryOutcome outcome = outcomes[k][0];
                int i = storedIndex[k];
                results[i] = ToResult(outcome);
                if (outcome == DeliveryOutcome.Stored && handedOver?.Contains(facts[i].Recipient) != true)
                {
                    _signal.Notify(facts[i].Recipient);
                }
            }
        }

        LogSent(_logger, device.Address, count, toStore.Count);
        var response = new SendResponse();
        response.Results.Add(results);
        return response;
    }

    /// <summary>See <c>relay.proto</c>.</summary>
    /// <param name="request">The request.</param>
    /// <param name="context">The call.</param>
    /// <returns>The response.</returns>
    public async Task<PostResponse> Post(PostRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        AuthenticatedDevice device = AuthenticatedDevice.From(context);
        CancellationToken cancellationToken = context.CancellationToken;
        DateTimeOffset now = _time.GetUtcNow();
        long nowMs = now.ToUnixTimeMilliseconds();
        RoutingFacts f = Inspect(request.Envelope.Span, 0);
        RequireSender(f, device, 0);
        if (f.Kind != EnvelopeType.SenderKey || f.Recipient != f.Sender || f.RecipientKind != f.SenderKind)
        {
            throw RelayErrors.Create(StatusCode.InvalidArgument, RelayFailure.InvalidPost, "a post is a sender-key envelope addressed to its own sender");
        }

        int count = request.Audience.Count;
        RequireCount(count, RelayServerLimits.MaxAudience, "the audience is empty", AudienceTooLargeDetail);

        var audience = new DeviceRegistration[count];
        var seen = new HashSet<DeviceAddress>();
        for (int i = 0; i < count; i++)
        {
            Api.DeviceAddress entry = request.Audience[i];
            if (!DeviceAddress.IsValid(entry.Name, entry.Device))
            {
                throw RelayErrors.ForItem(StatusCode.InvalidArgument, RelayFailure.InvalidAddress, i, "malformed audience address");
            }

            var address = new DeviceAddress(entry.Name, (int)entry.Device);
            if (!seen.Add(address))
            {
                throw RelayErrors.ForItem(StatusCode.InvalidArgument, RelayFailure.DuplicateAudience, i, $"{address} is named twice");
            }

            audience[i] = await _store.GetDeviceAsync(address, cancellationToken).ConfigureAwait(false)
                ?? throw RelayErrors.ForItem(StatusCode.NotFound, RelayFailure.UnknownRecipient, i, $"{address} is not registered");
            if (audience[i].Kind != (PartyKind)(int)entry.Kind)
            {
                throw RelayErrors.ForItem(StatusCode.InvalidArgument, RelayFailure.RecipientKindMismatch, i, $"{address} is registered as {audience[i].Kind}");
            }
        }

        var results = new EnvelopeResult[count];
        if (f.ExpiresAtMilliseconds != 0 && f.ExpiresAtMilliseconds <= (ulong)nowMs)
        {
            return Respond(results, new EnvelopeResult { Status = EnvelopeStatus.Expired });
        }

        var allowed = new List<int>(count);
        for (int i = 0; i < count; i++)
        {
            PolicyDecision decision = await _policy.EvaluateAsync(new DeliveryRequest(f, audience[i].Address, audience[i].Kind, IsPost: true), _store, now, cancellationToken).ConfigureAwait(false);
            if (decision.Deliver)
            {
                allowed.Add(i);
            }
            else
            {
                results[i] = Refused(decision.Reason);
            }
        }

        if (allowed.Count == 0)
        {
            return Respond(results, null);
        }

        // One token per post: it is stored once, however large its audience.
        if (!_rateLimiter.TryAcquire(new RateKey(device.Address, RateKey.PostTarget), out TimeSpan retryAfter))
        {
            var limited = RateLimited(retryAfter);
            foreach (int i in allowed)
            {
                results[i] = limited.Clone();
            }

            return Respond(results, null);
        }

        DeviceAddress[] recipients = allowed.Select(i => audience[i].Address).ToArray();
        var message = new MessageToStore(
            device.Address,
            f.MessageId,
            request.Envelope.ToByteArray(),
            ExpiresAt(f, nowMs),
            recipients,
            MeteringRules.Charges(device.Address.Name, allowed.Where(i => audience[i].Kind == PartyKind.Person).Select(i => audience[i].Address.Name), MeteringRules.CategoryOf(f, PartyKind.Person)),
            null);
        IReadOnlyList<DeliveryOutcome> outcomes = (await _store.StoreAsync([message], nowMs, _options.MaxQueueLength, cancellationToken).ConfigureAwait(false))[0];
        for (int k = 0; k < allowed.Count; k++)
        {
            results[allowed[k]] = ToResult(outcomes[k]);
            if (outcomes[k] == DeliveryOutcome.Stored)
            {
                _signal.Notify(recipients[k]);
            }
        }

        LogPosted(_logger, device.Address, count, allowed.Count);
        return Respond(results, null);
    }

    /// <summary>See <c>relay.proto</c>.</summary>
    /// <param name="requestStream">The device's requests.</param>
    /// <param name="responseStream">The deliveries.</param>
    /// <param name="context">The call.</param>
    /// <returns>A task that ends with the stream.</returns>
    public async Task Receive(IAsyncStreamReader<ReceiveRequest> requestStream, IServerStreamWriter<ReceiveResponse> responseStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(requestStream);
        ArgumentNullException.ThrowIfNull(responseStream);
        AuthenticatedDevice device = AuthenticatedDevice.From(context);
        CancellationToken callToken = context.CancellationToken;
        if (!await requestStream.MoveNext(callToken).ConfigureAwait(false))
        {
            return;
        }

        if (requestStream.Current.KindCase != ReceiveRequest.KindOneofCase.Start)
        {
            throw RelayErrors.Create(StatusCode.InvalidArgument, RelayFailure.StreamNotStarted, "the first request of a receive stream is a start");
        }

        RequestAddresses.RequireSelf(requestStream.Current.Start.Device, device);
        if (await _store.GetDeviceAsync(device.Address, callToken).ConfigureAwait(false) is null)
        {
            throw RelayErrors.Create(StatusCode.Unauthenticated, RelayFailure.DeviceNotRegistered, "the token's device is not registered");
        }

        CancellationTokenSource replaced = _streams.Register(device.Address);
        using var streamEnd = CancellationTokenSource.CreateLinkedTokenSource(callToken, replaced.Token, _lifetime.ApplicationStopping);
        using IQueueSubscription subscription = _signal.Subscribe(device.Address);
        var inFlight = new ConcurrentDictionary<long, byte>();

        // 1 while the writer waits for acknowledgements to make room (see WriteQueueAsync).
        var waitingForRoom = new StrongBox<int>();
        LogStreamOpened(_logger, device.Address);

        // A later request that does not parse (MalformedRequest) or is beyond the request size limit
        // (gRPC's own ResourceExhausted) ends the stream with that refusal.
        RpcException? refused = null;
        Task acks = ReadAcknowledgementsAsync(requestStream, device.Address, inFlight, waitingForRoom, subscription, streamEnd);
        try
        {
            // Before the first read: the device's stream on another node ends as soon as it can.
            await _announcer.AnnounceAsync(device.Address, replaced, streamEnd.Token).ConfigureAwait(false);
            await WriteQueueAsync(responseStream, device.Address, inFlight, waitingForRoom, subscription, streamEnd.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (streamEnd.IsCancellationRequested)
        {
            // Ended below.
        }
        finally
        {
            await streamEnd.CancelAsync().ConfigureAwait(false);
            try
            {
                await acks.ConfigureAwait(false);
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.ResourceExhausted
                || (ex.StatusCode == StatusCode.InvalidArgument && ex.Trailers.GetValue(RelayErrors.FailureTrailer) == nameof(RelayFailure.MalformedRequest)))
            {
                refused = ex;
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException or InvalidOperationException or RpcException)
            {
                // The client went away while acknowledging; what it did not acknowledge is sent again.
            }

            _streams.Unregister(device.Address, replaced);
            LogStreamClosed(_logger, device.Address);
        }

        if (refused is not null)
        {
            throw refused;
        }

        if (replaced.IsCancellationRequested && !callToken.IsCancellationRequested)
        {
            throw RelayErrors.Create(StatusCode.Aborted, RelayFailure.StreamReplaced, "a newer receive stream for this device replaced this one");
        }

        if (_lifetime.ApplicationStopping.IsCancellationRequested)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, "the relay is shutting down; reconnect"));
        }
    }

    private async Task WriteQueueAsync(IServerStreamWriter<ReceiveResponse> responses, DeviceAddress device, ConcurrentDictionary<long, byte> inFlight, StrongBox<int> waitingForRoom, IQueueSubscription subscription, CancellationToken token)
    {
        long cursor = 0;
        long trimNoticed = 0;
        bool sentSinceDrained = true;

        // The last store read filled its page: the store may hold more than the hand-overs, so the
        // next read is from the store too (hand-overs only cover what was committed after a read).
        bool storeMayHaveMore = false;
        var live = new List<QueuedDelivery>();
        while (!token.IsCancellationRequested)
        {
            int room = RelayServerLimits.MaxUnacknowledgedPerStream - inFlight.Count;
            if (room <= 0)
            {
                // Full: acknowledgements wake the stream once this is set (set, then checked again, so
                // an acknowledgement that made room in between is not missed).
                Interlocked.Exchange(ref waitingForRoom.Value, 1);
                room = RelayServerLimits.MaxUnacknowledgedPerStream - inFlight.Count;
            }

            if (room > 0)
            {
                Volatile.Write(ref waitingForRoom.Value, 0);
                int limit = Math.Min(room, RelayServerLimits.ReceivePageSize);
                long nowMs = _time.GetUtcNow().ToUnixTimeMilliseconds();
                IReadOnlyList<QueuedDelivery> deliveries;
                live.Clear();
                if (!storeMayHaveMore && subscription.TryTakeLive(cursor, limit, nowMs, live))
                {
                    // Committed entries handed over after their Send: no need to read them back.
                    deliveries = live;
                }
                else
                {
                    QueuePage page = await _store.ReadQueueAsync(device, cursor, limit, nowMs, token).ConfigureAwait(false);
                    if (page.Trimmed > 0 && page.Trimmed != trimNoticed)
                    {
                        trimNoticed = page.Trimmed;
                        responses.WriteOptions = FlushedWrite;
                        await responses.WriteAsync(new ReceiveResponse { Trimmed = new QueueTrimmed { Count = (ulong)page.Trimmed } }, token).ConfigureAwait(false);
                    }
                    else if (page.Trimmed == 0)
                    {
                        trimNoticed = 0;
                    }

                    deliveries = page.Deliveries;
                    storeMayHaveMore = deliveries.Count == limit;
                }

                // A page goes out with one flush: every delivery but the last is buffered (BufferHint),
                // and the last one flushes them all, so nothing of the page waits for a later write;
                // when the page drains the queue, the Drained after it is the flushing write instead.
                bool drainedFollows = deliveries.Count < limit && (sentSinceDrained || deliveries.Count > 0);
                for (int d = 0; d < deliveries.Count; d++)
                {
                    QueuedDelivery delivery = deliveries[d];
                    inFlight.TryAdd(delivery.Sequence, 0);
                    cursor = delivery.Sequence;
                    responses.WriteOptions = d < deliveries.Count - 1 || drainedFollows ? BufferedWrite : FlushedWrite;
                    await responses.WriteAsync(new ReceiveResponse { Delivery = new Delivery { Sequence = (ulong)delivery.Sequence, Envelope = UnsafeByteOperations.UnsafeWrap(delivery.Envelope) } }, token).ConfigureAwait(false);
                    sentSinceDrained = true;
                }

                if (deliveries.Count == limit)
                {
                    continue;
                }

                if (sentSinceDrained)
                {
                    sentSinceDrained = false;
                    responses.WriteOptions = FlushedWrite;
                    await responses.WriteAsync(new ReceiveResponse { Drained = new QueueDrained() }, token).ConfigureAwait(false);
                }
            }

            await subscription.WaitAsync(_options.CatchUpInterval, _time, token).ConfigureAwait(false);
        }
    }

    private async Task ReadAcknowledgementsAsync(IAsyncStreamReader<ReceiveRequest> requests, DeviceAddress device, ConcurrentDictionary<long, byte> inFlight, StrongBox<int> waitingForRoom, IQueueSubscription subscription, CancellationTokenSource streamEnd)
    {
        try
        {
            while (await requests.MoveNext(streamEnd.Token).ConfigureAwait(false))
            {
                if (requests.Current.KindCase != ReceiveRequest.KindOneofCase.Ack)
                {
                    continue;
                }

                Acknowledge ack = requests.Current.Ack;
                long[] sequences = new long[ack.Sequences.Count];
                for (int i = 0; i < sequences.Length; i++)
                {
                    sequences[i] = (long)Math.Min(ack.Sequences[i], long.MaxValue);
                }

                // Deleting is not cancelled with the stream: an acknowledgement received is honoured.
                await _store.AcknowledgeAsync(device, sequences, (long)Math.Min(ack.Trimmed, long.MaxValue), CancellationToken.None).ConfigureAwait(false);
                foreach (long sequence in sequences)
                {
                    inFlight.TryRemove(sequence, out _);
                }

                // Only a stream waiting for room needs waking: otherwise its next Send, catch-up or
                // page wakes it, and a wake-up here would only send it round its loop for nothing.
                if (Interlocked.Exchange(ref waitingForRoom.Value, 0) == 1)
                {
                    subscription.Wake();
                }
            }
        }
        finally
        {
            // The client closed its side (or went away): end the stream.
            await streamEnd.CancelAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The envelope's bytes as an array the store may keep: the request's own array when the bytes fill
    /// it (a request parsed from the wire owns a fresh array per field, and a <see cref="ByteString"/> is
    /// never changed), else a copy.
    /// </summary>
    private static byte[] OwnBytes(ByteString bytes) =>
        System.Runtime.InteropServices.MemoryMarshal.TryGetArray(bytes.Memory, out ArraySegment<byte> segment)
            && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : bytes.ToByteArray();

    private static int IndexOfLogical(List<(string Account, Guid MessageId, EnvelopeResult? Limited)> logical, string account, Guid messageId)
    {
        for (int k = 0; k < logical.Count; k++)
        {
            if (logical[k].MessageId == messageId && string.Equals(logical[k].Account, account, StringComparison.Ordinal))
            {
                return k;
            }
        }

        return -1;
    }

    private static RoutingFacts Inspect(ReadOnlySpan<byte> envelope, int index, string? knownName = null, string? otherKnownName = null) =>
        EnvelopeInspector.TryInspect(envelope, knownName, otherKnownName, out RoutingFacts? facts, out string? failure)
            ? facts!
            : throw RelayErrors.InvalidEnvelope(index, failure!);

    /// <summary>Refuses an empty batch or audience and one beyond its limit.</summary>
    /// <param name="count">How many items the request holds.</param>
    /// <param name="max">The most it may hold.</param>
    /// <param name="emptyDetail">The status detail for none.</param>
    /// <param name="tooLargeDetail">The status detail for more than <paramref name="max"/>.</param>
    private static void RequireCount(int count, int max, string emptyDetail, string tooLargeDetail)
    {
        if (count == 0)
        {
            throw RelayErrors.Create(StatusCode.InvalidArgument, RelayFailure.EmptyBatch, emptyDetail);
        }

        if (count > max)
        {
            throw RelayErrors.Create(StatusCode.InvalidArgument, RelayFailure.BatchTooLarge, tooLargeDetail);
        }
    }

    private static void RequireSender(RoutingFacts facts, AuthenticatedDevice device, int index)
    {
        if (facts.Sender != device.Address || facts.SenderKind != device.Kind)
        {
            throw RelayErrors.ForItem(StatusCode.PermissionDenied, RelayFailure.SenderMismatch, index, $"the sender {facts.Sender} is not the authenticated device {device.Address}");
        }
    }

    private long ExpiresAt(RoutingFacts facts, long nowMs)
    {
        if (facts.Kind == EnvelopeType.SenderKey && facts.ExpiresAtMilliseconds != 0)
        {
            long signed = (long)Math.Min(facts.ExpiresAtMilliseconds, long.MaxValue);
            return Math.Min(signed, nowMs + (long)RelayServerLimits.MaxPostLifetime.TotalMilliseconds);
        }

        return nowMs + (long)_options.MessageLifetime.TotalMilliseconds;
    }

    private static EnvelopeResult Refused(string? reason) =>
        new() { Status = EnvelopeStatus.Refused, Reason = reason ?? "Refused" };

    /// <summary>A rate-limited answer: try again after <paramref name="retryAfter"/>, rounded down to whole milliseconds but at least 1.</summary>
    private static EnvelopeResult RateLimited(TimeSpan retryAfter) =>
        new() { Status = EnvelopeStatus.RateLimited, RetryAfterMs = (ulong)Math.Max(1, retryAfter.TotalMilliseconds) };

    private static EnvelopeResult ToResult(DeliveryOutcome outcome) => outcome switch
    {
        DeliveryOutcome.Stored => new EnvelopeResult { Status = EnvelopeStatus.Accepted },
        DeliveryOutcome.Duplicate => new EnvelopeResult { Status = EnvelopeStatus.Duplicate },

        // Checked before storing; only a device removed in between gets here, after the batch committed.
        _ => Refused(nameof(RelayFailure.UnknownRecipient)),
    };

    private static PostResponse Respond(EnvelopeResult[] results, EnvelopeResult? all)
    {
        var response = new PostResponse();
        for (int i = 0; i < results.Length; i++)
        {
            response.Results.Add(all?.Clone() ?? results[i]);
        }

        return response;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Device} sent {Count} envelopes, {Stored} passed policy and rate limit")]
    private static partial void LogSent(ILogger logger, DeviceAddress device, int count, int stored);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Device} posted to {Count} devices, {Allowed} allowed")]
    private static partial void LogPosted(ILogger logger, DeviceAddress device, int count, int allowed);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Receive stream opened for {Device}")]
    private static partial void LogStreamOpened(ILogger logger, DeviceAddress device);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Receive stream closed for {Device}")]
    private static partial void LogStreamClosed(ILogger logger, DeviceAddress device);
}
