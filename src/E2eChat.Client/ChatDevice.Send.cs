using System.Security.Cryptography;
using System.Text;
using E2eChat.Wire;
using Google.Protobuf;
using Google.Protobuf.Collections;
using Grpc.Core;

namespace E2eChat.Client;

/// <content>Sending: sessions from fetched bundles, envelopes with stable ids, bounded retries (PROTOCOL.md 12.4).</content>
public sealed partial class ChatDevice
{
    /// <summary>Sends a text message to one device.</summary>
    /// <param name="recipient">The recipient device.</param>
    /// <param name="recipientKind">The recipient account's kind.</param>
    /// <param name="text">The text (UTF-8).</param>
    /// <param name="category">From a business to a person: the message's category (required then, absent otherwise).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>What the relay did with the message.</returns>
    /// <exception cref="E2eChatException">
    /// With a <see cref="E2eChatFailure"/> (<see cref="E2eChatFailure.NoPreKeys"/>, <see cref="E2eChatFailure.BundleRefused"/>,
    /// <see cref="E2eChatFailure.RelayUnavailable"/>, <see cref="E2eChatFailure.RelayRefused"/> when the relay refuses the
    /// bundle fetch for another reason), or the session manager's failures (for example
    /// <c>E2eChatFailure.UntrustedIdentity</c>).
    /// </exception>
    public Task<SendResult> SendAsync(ProtocolAddress recipient, AccountKind recipientKind, string text, Category category = Category.Unspecified, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        return SendAsync(recipient, recipientKind, Encoding.UTF8.GetBytes(text), category, cancellationToken);
    }

    /// <summary>Sends a message body to one device.</summary>
    /// <param name="recipient">The recipient device.</param>
    /// <param name="recipientKind">The recipient account's kind.</param>
    /// <param name="body">The body (at most <see cref="ApplicationMessage.MaxBodyLength"/> bytes).</param>
    /// <param name="category">From a business to a person: the message's category (required then, absent otherwise).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>What the relay did with the message.</returns>
    /// <exception cref="E2eChatException">As <see cref="SendAsync(ProtocolAddress, AccountKind, string, Category, CancellationToken)"/>.</exception>
    public Task<SendResult> SendAsync(ProtocolAddress recipient, AccountKind recipientKind, ReadOnlyMemory<byte> body, Category category = Category.Unspecified, CancellationToken cancellationToken = default)
    {
        byte[] content = Content.FromMessage(new ApplicationMessage(body.Span, (int)category)).ToBytes();
        return SendContentAsync(recipient, recipientKind, content, category, cancellationToken);
    }

    /// <summary>Sends a delivery or read receipt for a received message to the device that sent it.</summary>
    /// <param name="message">The message received.</param>
    /// <param name="type">Delivered or read.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>What the relay did with the receipt.</returns>
    /// <exception cref="E2eChatException">As <see cref="SendAsync(ProtocolAddress, AccountKind, string, Category, CancellationToken)"/>.</exception>
    public Task<SendResult> SendReceiptAsync(MessageReceived message, ReceiptType type, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        byte[] content = Content.FromReceipt(new Receipt(type, message.MessageId.Span)).ToBytes();

        // A business's envelope to a person always names a category; a receipt is part of the service conversation.
        Category category = Kind == AccountKind.Business && message.SenderKind == AccountKind.Person ? Category.Service : Category.Unspecified;
        return SendContentAsync(message.Sender, message.SenderKind, content, category, cancellationToken);
    }

    /// <summary>Encrypts an encoded content for one device (starting a session from its bundle when there is none) and sends it.</summary>
    internal async Task<SendResult> SendContentAsync(ProtocolAddress recipient, AccountKind recipientKind, byte[] content, Category category, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        long started = ChatDeviceTimings.Now();
        CiphertextMessage message = await EncryptAsync(recipient, content, cancellationToken).ConfigureAwait(false);
        Timings.AddEncrypt(started);
        await CustomerWroteAsync(recipient.Name, recipientKind, cancellationToken).ConfigureAwait(false);
        byte[] messageId = RandomNumberGenerator.GetBytes(Envelope.MessageIdLength);
        var envelope = new Envelope(Address, Kind, recipient, recipientKind, messageId, (ulong)_time.GetUtcNow().ToUnixTimeMilliseconds(), message, category);
        started = ChatDeviceTimings.Now();
        IReadOnlyList<SendResult> results = await SendEnvelopesAsync([(recipient, messageId, EnvelopeCodec.Encode(envelope))], cancellationToken).ConfigureAwait(false);
        Timings.AddRelaySend(started);
        return results[0];
    }

    /// <summary>Encrypts in the current session, first starting one from the recipient's bundle when there is none.</summary>
    private async Task<CiphertextMessage> EncryptAsync(ProtocolAddress recipient, byte[] plaintext, CancellationToken cancellationToken)
    {
        if (!await _sessions.HasSessionAsync(recipient, cancellationToken).ConfigureAwait(false))
        {
            PreKeyBundle bundle = await FetchBundleAsync(recipient, cancellationToken).ConfigureAwait(false)
                ?? throw new E2eChatException(E2eChatFailure.NoPreKeys);
            await _sessions.StartSessionAsync(recipient, bundle, cancellationToken).ConfigureAwait(false);
            ClientLog.SessionStarted(_logger, Address, recipient);
        }

        return await _sessions.EncryptAsync(recipient, plaintext, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The relay's failure name for a device without pre-keys (PROTOCOL.md 12.3).</summary>
    private const string NoPreKeysFailure = "NoPreKeys";

    /// <summary>Fetches (and claims one-time keys of) one device's bundle, verified by PROTOCOL.md 3.4; <see langword="null"/> when the relay has none.</summary>
    internal async Task<PreKeyBundle?> FetchBundleAsync(ProtocolAddress device, CancellationToken cancellationToken)
    {
        Api.FetchBundlesResponse response;
        try
        {
            response = await CallAsync(options => _keys.FetchBundlesAsync(new Api.FetchBundlesRequest { Name = device.Name, Device = device.DeviceId }, options).ResponseAsync, cancellationToken).ConfigureAwait(false);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound || (e.StatusCode == StatusCode.FailedPrecondition && FailureName(e) == NoPreKeysFailure))
        {
            // An unregistered device (UnknownRecipient) or one without keys (NoPreKeys): PROTOCOL.md 12.3.
            return null;
        }
        catch (RpcException e)
        {
            throw Refused(e, "FetchBundles");
        }

        Api.DeviceBundle? found = response.Bundles.FirstOrDefault(b => b.Device.Name == device.Name && b.Device.Device == device.DeviceId);
        if (found is null)
        {
            return null;
        }

        if (!PreKeyBundle.TryParse(found.Bundle.ToByteArray(), out PreKeyBundle? bundle, out E2eChatFailure failure))
        {
            ClientLog.BundleRefused(_logger, device, failure);
            throw new E2eChatException(E2eChatFailure.BundleRefused);
        }

        return bundle;
    }

    /// <summary>
    /// Sends envelopes (each to one device), retrying the same bytes (so the same message ids: the relay
    /// stores a retry once) on transient failures and rate limits, at most <see cref="ChatDeviceOptions.MaxSendAttempts"/> times.
    /// </summary>
    internal async Task<IReadOnlyList<SendResult>> SendEnvelopesAsync(IReadOnlyList<(ProtocolAddress Recipient, byte[] MessageId, byte[] Envelope)> envelopes, CancellationToken cancellationToken)
    {
        var results = new SendResult?[envelopes.Count];
        for (int start = 0; start < envelopes.Count; start += ClientLimits.MaxEnvelopesPerSend)
        {
            int[] pending = [.. Enumerable.Range(start, Math.Min(ClientLimits.MaxEnvelopesPerSend, envelopes.Count - start))];
            for (int attempt = 1; pending.Length > 0; attempt++)
            {
                var request = new Api.SendRequest();
                request.Envelopes.Add(pending.Select(i => ByteString.CopyFrom(envelopes[i].Envelope)));
                Api.SendResponse response;
                try
                {
                    response = await CallAsync(options => _messaging.SendAsync(request, options).ResponseAsync, cancellationToken).ConfigureAwait(false);
                }
                catch (E2eChatException e) when (e.Failure == E2eChatFailure.RelayUnavailable)
                {
                    // CallAsync already retried the transient failures as often as allowed.
                    foreach (int i in pending)
                    {
                        results[i] = new SendResult(envelopes[i].Recipient, envelopes[i].MessageId, SendStatus.Failed, nameof(E2eChatFailure.RelayUnavailable), _options.MaxSendAttempts);
                    }

                    break;
                }
                catch (RpcException e)
                {
                    // A refusal of the whole batch (an invalid envelope, an unknown recipient): not retried.
                    string reason = FailureName(e);
                    ClientLog.SendRefused(_logger, Address, reason);
                    foreach (int i in pending)
                    {
                        results[i] = new SendResult(envelopes[i].Recipient, envelopes[i].MessageId, SendStatus.Refused, reason, attempt);
                    }

                    break;
                }

                pending = Settle(pending, response.Results, attempt, results, (i, status, reason) => new SendResult(envelopes[i].Recipient, envelopes[i].MessageId, status, reason, attempt), out TimeSpan wait);
                if (pending.Length > 0)
                {
                    await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        return results!;
    }

    /// <summary>The reason of a send result whose request the relay answered with a different number of results than envelopes.</summary>
    private const string MalformedRelayAnswer = "MalformedRelayAnswer";

    /// <summary>
    /// Settles one round of a send or post: <paramref name="answers"/>[k] is the relay's answer for
    /// <paramref name="pending"/>[k]. A final answer, or any answer at the last attempt, becomes that
    /// index's result; the others (rate limited, or a status this build does not know) are returned to
    /// try again after <paramref name="wait"/>: the attempt's backoff, or the longest retry-after a rate
    /// limit asks for if longer, at most <see cref="ClientLimits.MaxRetryDelay"/>. An answer with another
    /// number of results than envelopes fails them all (<c>MalformedRelayAnswer</c>).
    /// </summary>
    private int[] Settle(int[] pending, RepeatedField<Api.EnvelopeResult> answers, int attempt, SendResult?[] results, Func<int, SendStatus, string, SendResult> result, out TimeSpan wait)
    {
        wait = RetryDelay(attempt);
        if (answers.Count != pending.Length)
        {
            // The relay answers each envelope of a request once, in order; a response that does not
            // cannot be matched to the envelopes, so none of them is known to be stored.
            ClientLog.SendRefused(_logger, Address, MalformedRelayAnswer);
            foreach (int i in pending)
            {
                results[i] = result(i, SendStatus.Failed, MalformedRelayAnswer);
            }

            return [];
        }

        var retry = new List<int>();
        for (int k = 0; k < pending.Length; k++)
        {
            int i = pending[k];
            Api.EnvelopeResult answer = answers[k];
            SendStatus? status = FinalStatus(answer.Status);
            if (status is null && attempt < _options.MaxSendAttempts)
            {
                retry.Add(i);
                if (answer.Status == Api.EnvelopeStatus.RateLimited)
                {
                    // At most the longest delay anyway (and no overflow for a relay's absurd value).
                    TimeSpan limited = TimeSpan.FromMilliseconds(Math.Min(answer.RetryAfterMs, (ulong)ClientLimits.MaxRetryDelay.TotalMilliseconds));
                    wait = limited > wait ? limited : wait;
                }

                continue;
            }

            results[i] = result(i, status ?? SendStatus.Failed, ReasonOf(answer));
        }

        return [.. retry];
    }

    /// <summary>
    /// What the relay's answer for one envelope settles: accepted (a duplicate too), refused or
    /// expired; <see langword="null"/> for an answer that may be tried again (rate limited, or a status this build does not know).
    /// </summary>
    private static SendStatus? FinalStatus(Api.EnvelopeStatus status) => status switch
    {
        Api.EnvelopeStatus.Accepted or Api.EnvelopeStatus.Duplicate => SendStatus.Accepted,
        Api.EnvelopeStatus.Refused => SendStatus.Refused,
        Api.EnvelopeStatus.Expired => SendStatus.Expired,
        _ => null,
    };

    /// <summary>The reason a send result reports for the relay's answer for one envelope.</summary>
    private static string ReasonOf(Api.EnvelopeResult result) =>
        result.Status == Api.EnvelopeStatus.RateLimited ? "RateLimited" : result.Reason;
}
