using E2eChat.Wire;

namespace E2eChat;

/// <summary>
/// The customer's inbox gate (PROTOCOL.md sections 13 and 17.4, "Device"): every message the device
/// decrypted passes here before the app shows it, whatever the relay decided. A business's message is
/// shown only inside the window or under a grant; otherwise it is held as a message request (not
/// shown, no receipt) until the customer accepts, blocks or reports it; a blocked business's message is
/// dropped; a category that differs from the envelope's (or is missing or unexpected) is a typed
/// violation. So a relay that ignores the policy still cannot put a blocked or unconsented message in
/// the inbox. Held requests are kept in memory, at most <see cref="MaxHeldPerBusiness"/> per business.
/// </summary>
public sealed class MessageRequests
{
    /// <summary>
    /// The most messages held from one business: an unconsented business could otherwise fill the
    /// device's memory. The newest are kept (a customer deciding sees what it sends now); 100 is more
    /// than a request screen shows.
    /// </summary>
    public const int MaxHeldPerBusiness = 100;

    private readonly CustomerConsent _consent;
    private readonly Dictionary<string, List<HeldMessage>> _held = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>Creates the gate over the customer's consent state.</summary>
    /// <param name="consent">The customer's consent book (state, window, records).</param>
    public MessageRequests(CustomerConsent consent)
    {
        ArgumentNullException.ThrowIfNull(consent);
        _consent = consent;
    }

    /// <summary>The businesses with held requests, in no particular order.</summary>
    public IReadOnlyList<string> Businesses
    {
        get
        {
            lock (_lock)
            {
                return [.. _held.Keys];
            }
        }
    }

    /// <summary>Decides what happens to a message the device decrypted (section 17.4), holding it when it is a request.</summary>
    /// <param name="envelope">The envelope as received (any relay's; its category is field 10).</param>
    /// <param name="content">The decrypted content.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>What to do; only <see cref="InboxDecision.Show"/> may be shown and receipted.</returns>
    public async ValueTask<InboxResult> ReceiveAsync(Envelope envelope, Content content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        ArgumentNullException.ThrowIfNull(content);
        ApplicationMessage? message = content.Message;
        int contentCategory = message?.CategoryValue ?? 0;
        bool businessToPerson = envelope.SenderKind == AccountKind.Business && envelope.RecipientKind == AccountKind.Person;
        if (!businessToPerson)
        {
            // A person's message (or a business's to a business) is outside the consent policy, but a category inside it is still wrong.
            E2eChatFailure unexpected = message is null ? E2eChatFailure.None : Content.CheckCategory(message, false, 0);
            return unexpected == E2eChatFailure.None
                ? new InboxResult(InboxDecision.Show, ConsentDecision.Deliver, E2eChatFailure.None, envelope.Category, contentCategory)
                : new InboxResult(InboxDecision.Violation, ConsentDecision.Deliver, unexpected, envelope.Category, contentCategory);
        }

        string business = envelope.Sender.Name;
        ConsentState state = await _consent.GetStateAsync(business, cancellationToken).ConfigureAwait(false);
        if (state.IsBlocked)
        {
            return new InboxResult(InboxDecision.Drop, ConsentDecision.Blocked, E2eChatFailure.None, envelope.Category, contentCategory);
        }

        // A status post (sender key) carries no category and counts as MARKETING (section 17.4); a pairwise message is checked against its content.
        bool post = envelope.Message.Type == EnvelopeType.SenderKey;
        Category category = post ? Category.Marketing : envelope.Category;
        if (!post && message is not null)
        {
            E2eChatFailure violation = Content.CheckCategory(message, true, (int)envelope.Category);
            if (violation != E2eChatFailure.None)
            {
                return new InboxResult(InboxDecision.Violation, ConsentDecision.Deliver, violation, envelope.Category, contentCategory);
            }
        }

        if (message is null || category is < Category.Service or > Category.Authentication)
        {
            // Not an inbox message (receipt, device list, sender-key distribution): protocol traffic, not blocked.
            return new InboxResult(InboxDecision.Show, ConsentDecision.Deliver, E2eChatFailure.None, envelope.Category, contentCategory);
        }

        ConsentDecision policy = await _consent.DecideAsync(business, category, cancellationToken).ConfigureAwait(false);
        InboxDecision decision = policy switch
        {
            ConsentDecision.Deliver => InboxDecision.Show,
            ConsentDecision.Blocked => InboxDecision.Drop,
            _ => InboxDecision.Request,
        };
        var result = new InboxResult(decision, policy, E2eChatFailure.None, envelope.Category, contentCategory);
        if (decision == InboxDecision.Request)
        {
            lock (_lock)
            {
                if (!_held.TryGetValue(business, out List<HeldMessage>? held))
                {
                    _held[business] = held = [];
                }

                if (held.Count == MaxHeldPerBusiness)
                {
                    held.RemoveAt(0);
                }

                held.Add(new HeldMessage(envelope, message, result));
            }
        }

        return result;
    }

    /// <summary>The messages held from a business, oldest first.</summary>
    /// <param name="business">The business account.</param>
    /// <returns>A snapshot (empty when none).</returns>
    public IReadOnlyList<HeldMessage> Held(string business)
    {
        ArgumentNullException.ThrowIfNull(business);
        lock (_lock)
        {
            return _held.TryGetValue(business, out List<HeldMessage>? held) ? [.. held] : [];
        }
    }

    /// <summary>
    /// The customer accepts a business's request: its held messages are released (the app shows them
    /// and may now send receipts). Consent is unchanged: to let later messages through, the customer
    /// replies (opening the window) or grants scopes.
    /// </summary>
    /// <param name="business">The business account.</param>
    /// <returns>The released messages, oldest first.</returns>
    public IReadOnlyList<HeldMessage> Accept(string business) => Take(business);

    /// <summary>The customer blocks a business from its request: a signed block record (to submit to the relay); held messages are dropped.</summary>
    /// <param name="business">The business account.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The signed block record, already applied.</returns>
    public async ValueTask<SignedConsent> BlockAsync(string business, CancellationToken cancellationToken = default)
    {
        SignedConsent block = await _consent.BlockAsync(business, cancellationToken).ConfigureAwait(false);
        Take(business);
        return block;
    }

    /// <summary>The customer reports a business's request: the business is blocked and the held messages are handed over as evidence.</summary>
    /// <param name="business">The business account.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The block record and the evidence.</returns>
    public async ValueTask<MessageReport> ReportAsync(string business, CancellationToken cancellationToken = default)
    {
        SignedConsent block = await _consent.BlockAsync(business, cancellationToken).ConfigureAwait(false);
        return new MessageReport(business, block, Take(business));
    }

    private List<HeldMessage> Take(string business)
    {
        ArgumentNullException.ThrowIfNull(business);
        lock (_lock)
        {
            return _held.Remove(business, out List<HeldMessage>? held) ? held : [];
        }
    }
}
