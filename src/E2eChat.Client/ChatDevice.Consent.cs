using E2eChat.Wire;
using Google.Protobuf;
using Grpc.Core;

namespace E2eChat.Client;

/// <content>
/// Consent (PROTOCOL.md 16-17): on a customer's device, grant / revoke / block / unblock records
/// signed by the account key, submitted to the relay and sent to the business; the inbox gate
/// (<see cref="MessageRequests"/>) every business message passes. On a business's device, the proofs
/// of opt-in customers sent (<see cref="Proofs"/>).
/// </content>
public sealed partial class ChatDevice
{
    private CustomerConsent? _consent;
    private MessageRequests? _requests;

    /// <summary>
    /// On a business's device: the verified consent records its customers sent in the chat, the newest
    /// per customer (kept in memory); <see langword="null"/> on a person's device.
    /// </summary>
    public ConsentProofs? Proofs { get; }

    /// <summary>
    /// Gives a person's device its account key (the one that signs the account's device list): from now
    /// on it signs consent records (<see cref="GrantAsync"/>, <see cref="BlockAsync"/>, ...) and every
    /// business message passes the inbox gate: shown only inside the window or under a grant, held as a
    /// request otherwise, dropped when the business is blocked, a category mismatch reported as a
    /// violation. The device's consent state and held requests are kept in memory. The caller keeps and
    /// disposes the key.
    /// </summary>
    /// <param name="accountKey">The account's key pair.</param>
    /// <exception cref="InvalidOperationException">This is a business's device, or a key was already given.</exception>
    public void UseAccountKey(AccountKeyPair accountKey)
    {
        ArgumentNullException.ThrowIfNull(accountKey);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (Kind != AccountKind.Person || _consent is not null)
        {
            throw new InvalidOperationException("Only a person's device takes an account key, once.");
        }

        var consent = new CustomerConsent(Address.Name, accountKey, new InMemoryConsentStateStore(), _time);
        _requests = new MessageRequests(consent);
        _consent = consent;
    }

    /// <summary>The businesses with held message requests.</summary>
    public IReadOnlyList<string> RequestingBusinesses => _requests?.Businesses ?? [];

    /// <summary>
    /// Grants <paramref name="scopes"/> to a business (for example the scopes a contact link asks for and
    /// the customer ticked): a signed GRANT record, applied on the device, submitted to the relay (which
    /// then lets those categories through outside the window) and sent to the business's devices in the
    /// chat, where it is kept as proof.
    /// </summary>
    /// <param name="business">The business account.</param>
    /// <param name="scopes">The categories granted; not empty.</param>
    /// <param name="expiresAt">When the grant ends, or <see langword="null"/> for never.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The record and what the relay and the business's devices did with it.</returns>
    /// <exception cref="E2eChatException">With <see cref="E2eChatFailure.NoAccountKey"/>, or a send failure.</exception>
    public async Task<ConsentSubmission> GrantAsync(string business, ConsentScopes scopes, DateTimeOffset? expiresAt = null, CancellationToken cancellationToken = default)
    {
        SignedConsent record = await RequireConsent().GrantAsync(business, scopes, expiresAt, cancellationToken).ConfigureAwait(false);
        return await SubmitAsync(record, sendToBusiness: true, [], cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Revokes every grant to a business: a signed REVOKE record, applied, submitted to the relay and sent to the business.</summary>
    /// <param name="business">The business account.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The record and what happened to it.</returns>
    /// <exception cref="E2eChatException">With <see cref="E2eChatFailure.NoAccountKey"/>, or a send failure.</exception>
    public async Task<ConsentSubmission> RevokeAsync(string business, CancellationToken cancellationToken = default)
    {
        SignedConsent record = await RequireConsent().RevokeAsync(business, cancellationToken).ConfigureAwait(false);
        return await SubmitAsync(record, sendToBusiness: true, [], cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// One tap: blocks a business. A signed BLOCK record, applied on the device (its messages are dropped
    /// from now on, held requests discarded) and submitted to the relay, which refuses the business's
    /// messages to this customer from then on. Not sent to the business.
    /// </summary>
    /// <param name="business">The business account.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The record and the relay's answer.</returns>
    /// <exception cref="E2eChatException">With <see cref="E2eChatFailure.NoAccountKey"/>.</exception>
    public async Task<ConsentSubmission> BlockAsync(string business, CancellationToken cancellationToken = default)
    {
        _ = RequireConsent();
        SignedConsent record = await _requests!.BlockAsync(business, cancellationToken).ConfigureAwait(false);
        return await SubmitAsync(record, sendToBusiness: false, [], cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Unblocks a business (earlier grants apply again): a signed UNBLOCK record, applied and submitted to the relay.</summary>
    /// <param name="business">The business account.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The record and the relay's answer.</returns>
    /// <exception cref="E2eChatException">With <see cref="E2eChatFailure.NoAccountKey"/>.</exception>
    public async Task<ConsentSubmission> UnblockAsync(string business, CancellationToken cancellationToken = default)
    {
        SignedConsent record = await RequireConsent().UnblockAsync(business, cancellationToken).ConfigureAwait(false);
        return await SubmitAsync(record, sendToBusiness: false, [], cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Accepts a business's message request: its held messages are released as <see cref="MessageReceived"/>
    /// (to show; receipts may be sent now). Consent is unchanged: the customer replies or grants for more.
    /// </summary>
    /// <param name="business">The business account.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The released messages, oldest first (empty when none were held).</returns>
    /// <exception cref="E2eChatException">With <see cref="E2eChatFailure.NoAccountKey"/>.</exception>
    public Task<IReadOnlyList<MessageReceived>> AcceptRequestAsync(string business, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(business);
        cancellationToken.ThrowIfCancellationRequested();
        _ = RequireConsent();
        IReadOnlyList<MessageReceived> released = [.. _requests!.Accept(business).Select(h => ToMessage(h.Envelope, h.Message, syncRecipient: null))];
        return Task.FromResult(released);
    }

    /// <summary>
    /// Reports a business's request: the business is blocked (a BLOCK record submitted to the relay) and
    /// its held messages are handed over as <see cref="ConsentSubmission.Evidence"/>.
    /// </summary>
    /// <param name="business">The business account.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The block record, the relay's answer and the evidence.</returns>
    /// <exception cref="E2eChatException">With <see cref="E2eChatFailure.NoAccountKey"/>.</exception>
    public async Task<ConsentSubmission> ReportAsync(string business, CancellationToken cancellationToken = default)
    {
        _ = RequireConsent();
        MessageReport report = await _requests!.ReportAsync(business, cancellationToken).ConfigureAwait(false);
        return await SubmitAsync(report.Block, sendToBusiness: false, report.Evidence, cancellationToken).ConfigureAwait(false);
    }

    private CustomerConsent RequireConsent()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _consent ?? throw new E2eChatException(E2eChatFailure.NoAccountKey);
    }

    private async Task<ConsentSubmission> SubmitAsync(SignedConsent record, bool sendToBusiness, IReadOnlyList<HeldMessage> evidence, CancellationToken cancellationToken)
    {
        bool accepted;
        string? reason = null;
        bool blocked = record.Record.Action == ConsentAction.Block;
        try
        {
            var request = new Api.SubmitConsentRequest { SignedRecord = ByteString.CopyFrom(record.Bytes.Span) };
            Api.SubmitConsentResponse response = await CallAsync(options => _accountsApi.SubmitConsentAsync(request, options).ResponseAsync, cancellationToken).ConfigureAwait(false);
            accepted = true;
            blocked = response.Blocked;
        }
        catch (RpcException e)
        {
            accepted = false;
            reason = FailureName(e);
        }

        ClientLog.ConsentSubmitted(_logger, Address, record.Record.Action, record.Record.Business, reason ?? "OK");
        IReadOnlyList<SendResult> sent = sendToBusiness
            ? await SendContentToAccountAsync(record.Record.Business, record.ToContent().ToBytes(), cancellationToken).ConfigureAwait(false)
            : [];
        return new ConsentSubmission(record, accepted, reason, blocked, sent, evidence);
    }

    /// <summary>A person's message to a business opens the 24-hour window on the device too (the relay opens its own).</summary>
    private async Task CustomerWroteAsync(string account, AccountKind kind, CancellationToken cancellationToken)
    {
        if (_consent is not null && kind == AccountKind.Business)
        {
            await _consent.CustomerWroteAsync(account, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The inbox gate for a business's content on a customer's device; <see langword="null"/> when the message is to be shown as usual.</summary>
    private async Task<ChatEvent?> GateAsync(Envelope envelope, Content content, CancellationToken cancellationToken)
    {
        if (_requests is null || envelope.SenderKind != AccountKind.Business)
        {
            return null;
        }

        InboxResult result = await _requests.ReceiveAsync(envelope, content, cancellationToken).ConfigureAwait(false);
        if (result.Decision != InboxDecision.Show)
        {
            ClientLog.InboxGate(_logger, Address, envelope.Sender, result.Decision, result.Policy);
        }

        return result.Decision switch
        {
            InboxDecision.Request => new MessageRequestReceived(envelope.Sender, envelope.Category, result.Policy, _requests.Held(envelope.Sender.Name).Count),
            InboxDecision.Drop => new BlockedMessageDropped(envelope.Sender, envelope.Category),
            InboxDecision.Violation => new ViolationDetected(envelope.Sender, result.Violation),
            _ => null,
        };
    }

    /// <summary>On a business's device: verifies and keeps a customer's consent record (fetching the customer's device list when unknown).</summary>
    private async Task<ChatEvent> ReceiveConsentAsync(ProtocolAddress sender, Content content, CancellationToken cancellationToken)
    {
        if (Proofs is null)
        {
            return new ContentReceived(sender, content.Kind, content.Record.Span);
        }

        await GetOrFetchDeviceListAsync(sender.Name, cancellationToken).ConfigureAwait(false);
        E2eChatFailure failure = await Proofs.ReceiveAsync(sender.Name, content, cancellationToken).ConfigureAwait(false);
        return new ConsentReceived(sender, failure, Proofs.Get(sender.Name));
    }

    private static MessageReceived ToMessage(Envelope envelope, ApplicationMessage message, string? syncRecipient)
    {
        DateTimeOffset sentAt = UnixTimeClamped(envelope.TimestampMilliseconds);
        return new MessageReceived(envelope.Sender, envelope.SenderKind, envelope.MessageId.Span, sentAt, message.Body.Span, (Category)message.CategoryValue, syncRecipient);
    }
}
