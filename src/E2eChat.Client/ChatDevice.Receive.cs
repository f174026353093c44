using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using E2eChat.Handshake;
using E2eChat.Ratchet;
using E2eChat.Storage.Sqlite;
using E2eChat.Wire;
using Grpc.Core;

namespace E2eChat.Client;

/// <content>Receiving: the relay's stream as typed events, acknowledged after commit (PROTOCOL.md 12.4).</content>
public sealed partial class ChatDevice
{
    /// <summary>Inbox entries handed over (their ids recorded as received) whose removal waits for the next receive transaction.</summary>
    private readonly List<long> _handedOver = [];

    /// <summary>
    /// The device's incoming messages as events, in the relay's order, until <paramref name="cancellationToken"/>
    /// is cancelled. Each delivery is decoded, de-duplicated (by sender and message id, and by the
    /// ratchet), decrypted and committed, reported, and acknowledged to the relay when the caller asks
    /// for the next event: a delivery is deleted at the relay only after its result is stored and
    /// handed over. A lost connection is re-opened with growing delays; what was not acknowledged comes
    /// again and is recognized. Pre-keys are refilled when the queue is caught up after pre-key messages.
    /// </summary>
    /// <param name="cancellationToken">Ends the stream.</param>
    /// <returns>The events.</returns>
    /// <exception cref="E2eChatException">
    /// With <see cref="E2eChatFailure.StreamReplaced"/> when another instance of this device started
    /// receiving, <see cref="E2eChatFailure.RelayRefused"/> for a refusal that retrying cannot fix,
    /// <see cref="E2eChatFailure.RelayUnavailable"/> when opening the stream failed transiently as often
    /// as <see cref="ChatDeviceOptions.MaxSendAttempts"/> allows, <see cref="E2eChatFailure.AuthenticationRefused"/>
    /// when signing in again was refused.
    /// </exception>
    public async IAsyncEnumerable<ChatEvent> ReceiveAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);

        // First what a previous run committed but did not hand over (it died in between).
        foreach (KeyValuePair<long, byte[]> entry in await _store.LoadInboxAsync(cancellationToken).ConfigureAwait(false))
        {
            ChatEvent? pending = await HandOverPendingAsync(entry.Key, entry.Value, cancellationToken).ConfigureAwait(false);
            if (pending is not null)
            {
                yield return pending;
            }
        }

        for (int failures = 0; ; )
        {
            cancellationToken.ThrowIfCancellationRequested();
            AsyncDuplexStreamingCall<Api.ReceiveRequest, Api.ReceiveResponse>? call = await OpenStreamAsync(cancellationToken).ConfigureAwait(false);
            using (call)
            {
                int delivered = 0;
                while (call is not null)
                {
                    StreamStep step = await NextAsync(call, cancellationToken).ConfigureAwait(false);
                    if (step == StreamStep.Exhausted && failures + 1 >= _options.MaxSendAttempts)
                    {
                        // As many streams in a row failed as a call is tried, the last with ResourceExhausted
                        // and nothing delivered since: a delivery beyond the client's message limit, which
                        // each new stream would bring again.
                        ClientLog.StreamRefused(_logger, Address, nameof(StatusCode.ResourceExhausted));
                        throw new E2eChatException(E2eChatFailure.RelayRefused);
                    }

                    if (step != StreamStep.Item)
                    {
                        break;
                    }

                    failures = 0;
                    Api.ReceiveResponse response = call.ResponseStream.Current;
                    switch (response.KindCase)
                    {
                        case Api.ReceiveResponse.KindOneofCase.Delivery:
                            if (DeferFilter?.Invoke(response.Delivery.Sequence) ?? false)
                            {
                                // Test hook: as if this delivery were still on its way; unacknowledged, it comes again on the next stream.
                                break;
                            }

                            delivered++;
                            (ChatEvent? item, bool acknowledge) = await HandleDeliveryAsync(response.Delivery, cancellationToken).ConfigureAwait(false);
                            if (item is not null)
                            {
                                yield return item;
                            }

                            if (acknowledge && (AcknowledgeFilter?.Invoke(response.Delivery.Sequence) ?? true))
                            {
                                var ack = new Api.Acknowledge();
                                ack.Sequences.Add(response.Delivery.Sequence);
                                await TryWriteAsync(call, new Api.ReceiveRequest { Ack = ack }).ConfigureAwait(false);
                            }

                            break;
                        case Api.ReceiveResponse.KindOneofCase.Trimmed:
                            ClientLog.QueueTrimmed(_logger, Address, response.Trimmed.Count);
                            yield return new MessagesDropped(response.Trimmed.Count);
                            await TryWriteAsync(call, new Api.ReceiveRequest { Ack = new Api.Acknowledge { Trimmed = response.Trimmed.Count } }).ConfigureAwait(false);
                            break;
                        case Api.ReceiveResponse.KindOneofCase.Drained:
                            await RemoveHandedOverAsync(cancellationToken).ConfigureAwait(false);
                            await RefillIfDueAsync(cancellationToken).ConfigureAwait(false);
                            yield return new QueueCaughtUp(delivered);
                            break;
                    }
                }
            }

            // The stream ended or broke: open a new one after a growing delay.
            failures++;
            ClientLog.StreamReconnecting(_logger, Address, failures);
            await Task.Delay(RetryDelay(failures), _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private enum StreamStep
    {
        Item,
        Ended,

        /// <summary>Ended with ResourceExhausted: the transport's overload answer, or a delivery beyond the client's limit.</summary>
        Exhausted,
    }

    /// <summary>
    /// Opens a receive stream and sends its start; a relay that already refused the call fails the
    /// start's write with its status: retried when transient, <see langword="null"/> when cancelled by
    /// the relay or the transport (opened again after the loop's delay, as a broken stream), typed otherwise.
    /// </summary>
    private async Task<AsyncDuplexStreamingCall<Api.ReceiveRequest, Api.ReceiveResponse>?> OpenStreamAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await CallAsync(
                async options =>
                {
                    AsyncDuplexStreamingCall<Api.ReceiveRequest, Api.ReceiveResponse> call = _messaging.Receive(options);
                    try
                    {
                        await call.RequestStream.WriteAsync(new Api.ReceiveRequest { Start = new Api.ReceiveStart { Device = ApiAddress(Address, Kind) } }, cancellationToken).ConfigureAwait(false);
                        return call;
                    }
                    catch
                    {
                        call.Dispose();
                        throw;
                    }
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled)
        {
            // Cancelled by the relay or the transport, as a broken stream (NextAsync): opened again.
            return null;
        }
        catch (RpcException e)
        {
            throw Refused(e, "Receive");
        }
    }

    /// <summary>Moves the stream on; a broken stream ends (it is re-opened), a refusal that retrying cannot fix throws.</summary>
    private async Task<StreamStep> NextAsync(AsyncDuplexStreamingCall<Api.ReceiveRequest, Api.ReceiveResponse> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call.ResponseStream.MoveNext(cancellationToken).ConfigureAwait(false) ? StreamStep.Item : StreamStep.Ended;
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Aborted && FailureName(e) == "StreamReplaced")
        {
            ClientLog.StreamReplaced(_logger, Address);
            throw new E2eChatException(E2eChatFailure.StreamReplaced);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.ResourceExhausted)
        {
            // The transport's overload answer (opened again), or a delivery beyond
            // ClientLimits.MaxRelayMessageBytes, which every new stream would bring again: the caller
            // gives up when it ends a run of as many failed streams as a call is tried.
            return StreamStep.Exhausted;
        }
        catch (RpcException e) when (IsTransient(e) || IsTokenRefused(e) || e.StatusCode == StatusCode.Cancelled)
        {
            if (IsTokenRefused(e))
            {
                await GetTokenAsync(forceRenewal: true, cancellationToken).ConfigureAwait(false);
            }

            return StreamStep.Ended;
        }
        catch (RpcException e)
        {
            ClientLog.StreamRefused(_logger, Address, FailureName(e));
            throw new E2eChatException(E2eChatFailure.RelayRefused);
        }
    }

    /// <summary>Writes to the stream; a broken stream is noticed by the next read, and what was not acknowledged comes again.</summary>
    private static async Task TryWriteAsync(AsyncDuplexStreamingCall<Api.ReceiveRequest, Api.ReceiveResponse> call, Api.ReceiveRequest request)
    {
        try
        {
            await call.RequestStream.WriteAsync(request).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RpcException or InvalidOperationException or IOException or OperationCanceledException)
        {
            // Ignored: see the summary.
        }
    }

    /// <summary>Decodes, de-duplicates, decrypts and records one delivery; says what to report and whether to acknowledge it.</summary>
    private async Task<(ChatEvent? Event, bool Acknowledge)> HandleDeliveryAsync(Api.Delivery delivery, CancellationToken cancellationToken)
    {
        if (!EnvelopeCodec.TryDecode(delivery.Envelope.Span, out Envelope? envelope, out E2eChatFailure envelopeFailure))
        {
            return ReportViolation(null, envelopeFailure);
        }

        if (_state.WasReceived(envelope.Sender, envelope.MessageId.Span))
        {
            return IgnoreDuplicate(envelope.Sender, delivery.Sequence);
        }

        if (envelope.Message.Type == EnvelopeType.SenderKey)
        {
            return await HandlePostAsync(envelope, delivery.Envelope.Memory, delivery.Sequence, cancellationToken).ConfigureAwait(false);
        }

        // The session change and the inbox entry holding the plaintext commit together: a process
        // killed after the commit hands the message over on restart (its redelivery is a duplicate then).
        long started = ChatDeviceTimings.Now();
        (DecryptResult result, long inboxId) = await DecryptIntoInboxAsync(
            delivery.Envelope.Memory,
            async ct =>
            {
                // The entries handed over since the last commit go in the same transaction (no flush of their own).
                foreach (long handedOver in _handedOver)
                {
                    await _store.RemoveInboxEntryAsync(handedOver, ct).ConfigureAwait(false);
                }

                return await _sessions.TryDecryptAsync(envelope, ct).ConfigureAwait(false);
            },
            static decrypted => decrypted.IsSuccess ? decrypted.Plaintext : null,
            cancellationToken).ConfigureAwait(false);
        _handedOver.Clear();
        Timings.AddDecryptCommit(started);
        if (!result.IsSuccess)
        {
            switch (result.Failure)
            {
                case E2eChatFailure.Duplicate:
                    return IgnoreDuplicate(envelope.Sender, delivery.Sequence);
                case E2eChatFailure.UntrustedIdentity:
                    ClientLog.Violation(_logger, Address, envelope.Sender, result.Failure);
                    return (new UntrustedIdentityDetected(envelope.Sender), true);
                case E2eChatFailure.StoreConflict:
                    // Nothing committed: left unacknowledged, it comes again on the next stream.
                    return (null, false);
                default:
                    return ReportViolation(envelope.Sender, result.Failure);
            }
        }

        byte[] plaintext = result.Plaintext!;
        try
        {
            if (envelope.Message.Type == EnvelopeType.PreKey)
            {
                Interlocked.Increment(ref _preKeyMessagesSinceRefill);
            }

            return (await HandOverAsync(inboxId, envelope, plaintext, cancellationToken).ConfigureAwait(false), true);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    /// <summary>
    /// Decrypts in one store transaction with the inbox entry that holds the plaintext until it is handed
    /// over (the entry's own bytes are wiped once written). When the transaction does not commit, the
    /// plaintext is wiped (the relay delivers the message again) and the exception passes on.
    /// </summary>
    /// <param name="envelope">The envelope as delivered, kept in the inbox entry.</param>
    /// <param name="decrypt">Decrypts inside the transaction.</param>
    /// <param name="plaintextOf">The plaintext of a successful result; <see langword="null"/> adds no entry.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    private async Task<(TResult Result, long InboxId)> DecryptIntoInboxAsync<TResult>(ReadOnlyMemory<byte> envelope, Func<CancellationToken, ValueTask<TResult>> decrypt, Func<TResult, byte[]?> plaintextOf, CancellationToken cancellationToken)
    {
        byte[]? plaintext = null;
        try
        {
            return await _store.RunInTransactionAsync(
                async ct =>
                {
                    TResult decrypted = await decrypt(ct).ConfigureAwait(false);
                    plaintext = plaintextOf(decrypted);
                    if (plaintext is null)
                    {
                        return (decrypted, 0L);
                    }

                    byte[] entry = InboxEntry.Write(envelope.Span, plaintext);
                    try
                    {
                        return (decrypted, await _store.AddInboxEntryAsync(entry, ct).ConfigureAwait(false));
                    }
                    finally
                    {
                        CryptographicOperations.ZeroMemory(entry);
                    }
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // Not committed: the plaintext is never used.
            if (plaintext is not null)
            {
                CryptographicOperations.ZeroMemory(plaintext);
            }

            throw;
        }
    }

    /// <summary>Counts and logs a delivery of a message already received: acknowledged, nothing reported.</summary>
    private (ChatEvent? Event, bool Acknowledge) IgnoreDuplicate(ProtocolAddress sender, ulong sequence)
    {
        Interlocked.Increment(ref _duplicatesIgnored);
        ClientLog.DuplicateIgnored(_logger, Address, sender, sequence);
        return (null, true);
    }

    /// <summary>Logs a delivery that breaks the protocol: acknowledged (it would only come again) and reported.</summary>
    private (ChatEvent? Event, bool Acknowledge) ReportViolation(ProtocolAddress? sender, E2eChatFailure failure)
    {
        ClientLog.Violation(_logger, Address, sender, failure);
        return (new ViolationDetected(sender, failure), true);
    }

    /// <summary>
    /// Turns a committed inbox entry into its event and marks it handed over: content rules applied,
    /// then the message id recorded as received (the hand-over's commit point, after which nothing can
    /// fail before the caller yields the event). A process killed before that record hands the entry
    /// over again on restart; after it, never: the entry is then only removed, in the next receive
    /// transaction or when the queue is caught up (no flush of its own).
    /// </summary>
    private async Task<ChatEvent> HandOverAsync(long inboxId, Envelope envelope, byte[] plaintext, CancellationToken cancellationToken)
    {
        long started = ChatDeviceTimings.Now();
        ChatEvent item = envelope.Message.Type == EnvelopeType.SenderKey
            ? await ToPostEventAsync(envelope, plaintext, cancellationToken).ConfigureAwait(false)
            : await ToEventAsync(envelope, plaintext, cancellationToken).ConfigureAwait(false);
        if (item is ViolationDetected violation)
        {
            ClientLog.Violation(_logger, Address, envelope.Sender, violation.Failure);
        }

        _state.MarkReceived(envelope.Sender, envelope.MessageId.Span, _time.GetUtcNow().ToUnixTimeMilliseconds());
        _handedOver.Add(inboxId);
        Timings.AddHandOver(started);
        return item;
    }

    /// <summary>Removes the inbox entries handed over since the last receive transaction, in one transaction.</summary>
    private async Task RemoveHandedOverAsync(CancellationToken cancellationToken)
    {
        if (_handedOver.Count == 0)
        {
            return;
        }

        await _store.RunInTransactionAsync(
            async ct =>
            {
                foreach (long handedOver in _handedOver)
                {
                    await _store.RemoveInboxEntryAsync(handedOver, ct).ConfigureAwait(false);
                }

                return true;
            },
            cancellationToken).ConfigureAwait(false);
        _handedOver.Clear();
    }

    /// <summary>Hands over an entry a previous run committed, unless that run handed it over already (then it is only removed later).</summary>
    /// <exception cref="E2eChatException">With <see cref="E2eChatFailure.Corrupt"/> for an entry this version did not write (it authenticated, so it is ours).</exception>
    private async Task<ChatEvent?> HandOverPendingAsync(long inboxId, byte[] entry, CancellationToken cancellationToken)
    {
        try
        {
            if (!InboxEntry.TryRead(entry, out ReadOnlyMemory<byte> envelopeBytes, out ReadOnlyMemory<byte> plaintext)
                || !EnvelopeCodec.TryDecode(envelopeBytes.Span, out Envelope? envelope, out _))
            {
                throw new E2eChatException(E2eChatFailure.Corrupt);
            }

            if (_state.WasReceived(envelope.Sender, envelope.MessageId.Span))
            {
                if (!_handedOver.Contains(inboxId))
                {
                    _handedOver.Add(inboxId);
                }

                return null;
            }

            ClientLog.PendingHandedOver(_logger, Address, envelope.Sender);
            return await HandOverAsync(inboxId, envelope, plaintext.ToArray(), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(entry);
        }
    }

    /// <summary>Applies a contact's own account's device list (section 14's rules: signed by the pinned account key, newer version).</summary>
    private async Task<ChatEvent> ApplyDeviceListAsync(ProtocolAddress sender, ReadOnlyMemory<byte> record, CancellationToken cancellationToken)
    {
        if (!SignedDeviceList.TryRead(record.Span, out SignedDeviceList? list, out E2eChatFailure failure))
        {
            return new ViolationDetected(sender, failure);
        }

        if (list.List.Account != sender.Name)
        {
            return new ViolationDetected(sender, E2eChatFailure.DeviceListOfAnotherAccount);
        }

        DeviceListUpdate update = await Accounts.ApplyAsync(sender.Name, record, cancellationToken).ConfigureAwait(false);
        return update.IsSuccess ? new DeviceListChanged(sender, update) : new ViolationDetected(sender, update.Failure);
    }

    /// <summary>The event for a decrypted plaintext (section 13's content rules).</summary>
    private async Task<ChatEvent> ToEventAsync(Envelope envelope, byte[] plaintext, CancellationToken cancellationToken)
    {
        if (!Content.TryRead(plaintext, out Content? content, out E2eChatFailure failure))
        {
            return new ViolationDetected(envelope.Sender, failure);
        }

        ChatEvent? gated = await GateAsync(envelope, content, cancellationToken).ConfigureAwait(false);
        if (gated is not null)
        {
            return gated;
        }

        bool businessToPerson = envelope.SenderKind == AccountKind.Business && envelope.RecipientKind == AccountKind.Person;
        switch (content.Kind)
        {
            case ContentKind.Message:
                failure = Content.CheckCategory(content.Message!, businessToPerson, (int)envelope.Category);
                return failure != E2eChatFailure.None
                    ? new ViolationDetected(envelope.Sender, failure)
                    : ToMessage(envelope, content.Message!, syncRecipient: null);
            case ContentKind.Sync:
                if (envelope.Sender.Name != Address.Name)
                {
                    return new ViolationDetected(envelope.Sender, E2eChatFailure.SyncFromAnotherAccount);
                }

                return ToMessage(envelope, content.Sync!.Message, content.Sync.Recipient);
            case ContentKind.DeviceList:
                return await ApplyDeviceListAsync(envelope.Sender, content.Record, cancellationToken).ConfigureAwait(false);
            case ContentKind.SenderKeyDistribution:
                return await ReceiveDistributionAsync(envelope.Sender, content.Record, cancellationToken).ConfigureAwait(false);
            case ContentKind.Receipt:
                return new ReceiptReceived(envelope.Sender, content.Receipt!.Type, content.Receipt.MessageId.Span);
            case ContentKind.Consent when envelope.SenderKind == AccountKind.Person:
                return await ReceiveConsentAsync(envelope.Sender, content, cancellationToken).ConfigureAwait(false);
            default:
                return new ContentReceived(envelope.Sender, content.Kind, content.Record.Span);
        }
    }
}
