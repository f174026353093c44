using E2eChat.Relay.Server.Messaging;

namespace E2eChat.Relay.Server.Billing;

/// <summary>
/// Who pays for what and what opens a window (PROTOCOL.md 17.3, 17.4 and 17.6): a business pays once
/// per logical message (its message id) and person account it is delivered to, under the message's
/// category, however many of that account's devices get it and however often it is retried; persons
/// pay nothing, nor do messages between businesses or to the business's own devices.
/// </summary>
/// <remarks>
/// The key includes the recipient account so a reused message id cannot make a second customer's
/// message free.
/// </remarks>
internal static class MeteringRules
{
    /// <summary>
    /// The category under which a delivery is decided by the consent policy and billed: the envelope's
    /// category for a business's pre-key or ratchet envelope to a person; <see cref="Category.Marketing"/>
    /// for a business's sender-key envelope (a status post or broadcast) to a person; otherwise
    /// <see cref="Category.Unspecified"/> (neither decided nor billed).
    /// </summary>
    /// <param name="envelope">The envelope's routing facts.</param>
    /// <param name="recipientKind">The recipient's registered kind.</param>
    /// <returns>The category, or <see cref="Category.Unspecified"/>.</returns>
    internal static Category CategoryOf(RoutingFacts envelope, PartyKind recipientKind)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        if (envelope.SenderKind != PartyKind.Business || recipientKind != PartyKind.Person)
        {
            return Category.Unspecified;
        }

        return envelope.Kind == EnvelopeType.SenderKey ? Category.Marketing : envelope.Category;
    }

    /// <summary>The ledger name of a category: its <c>wire.proto</c> enum name (the rate card's keys).</summary>
    /// <param name="category">A category, 1 to 4.</param>
    /// <returns>For example <c>MARKETING</c>.</returns>
    internal static string LedgerName(Category category) => category switch
    {
        Category.Service => "SERVICE",
        Category.Utility => "UTILITY",
        Category.Marketing => "MARKETING",
        Category.Authentication => "AUTHENTICATION",
        _ => throw new ArgumentOutOfRangeException(nameof(category)),
    };

    /// <summary>The charges for one message a business sends to customers.</summary>
    /// <param name="business">The sending business account.</param>
    /// <param name="customerAccounts">The person accounts it goes to (duplicates allowed).</param>
    /// <param name="category">Its category; <see cref="Category.Unspecified"/> bills nothing.</param>
    /// <returns>One charge per distinct customer account.</returns>
    internal static IReadOnlyList<BillingCharge> Charges(string business, IEnumerable<string> customerAccounts, Category category)
    {
        if (category == Category.Unspecified)
        {
            return [];
        }

        string name = LedgerName(category);
        return [.. customerAccounts.Distinct(StringComparer.Ordinal).Select(account => new BillingCharge(business, account, name))];
    }

    /// <summary>The ledger entry for one message to one customer account (see the overload for several).</summary>
    /// <param name="business">The business account that sent it.</param>
    /// <param name="customerAccount">The customer account it goes to.</param>
    /// <param name="category">Its category; <see cref="Category.Unspecified"/> charges nothing.</param>
    /// <returns>No entry, or one.</returns>
    internal static IReadOnlyList<BillingCharge> Charges(string business, string customerAccount, Category category) =>
        category == Category.Unspecified ? [] : [new BillingCharge(business, customerAccount, LedgerName(category))];

    /// <summary>The service window a message opens: a person's pre-key or ratchet envelope to a business.</summary>
    /// <param name="envelope">The envelope's routing facts.</param>
    /// <param name="recipientKind">The recipient's registered kind.</param>
    /// <returns>The touch, or null.</returns>
    internal static ConversationTouch? Touch(RoutingFacts envelope, PartyKind recipientKind)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        return envelope.SenderKind == PartyKind.Person && recipientKind == PartyKind.Business && envelope.Kind is EnvelopeType.PreKey or EnvelopeType.Ratchet
            ? new ConversationTouch(envelope.Sender.Name, envelope.Recipient.Name)
            : null;
    }
}
