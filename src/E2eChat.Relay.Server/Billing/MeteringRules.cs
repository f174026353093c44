using E2eChat.Relay.Server.Storage;

namespace E2eChat.Relay.Server.Billing;

/// <summary>
/// Who pays for what (the ledger rules): a business account pays once per logical message (its message
/// id) and recipient account it reaches, however many of that account's devices get it and however
/// often it is retried; a person pays nothing; a business's copies to its own devices are free.
/// </summary>
/// <remarks>
/// The key includes the recipient account so a reused message id cannot make a second customer's
/// message free. The category is <see cref="UnclassifiedCategory"/> until envelopes carry one.
/// </remarks>
internal static class MeteringRules
{
    /// <summary>The ledger category of every message until the envelope's category field lands.</summary>
    internal const string UnclassifiedCategory = "unclassified";

    /// <summary>The charges for a message from <paramref name="sender"/> to <paramref name="recipientAccounts"/>.</summary>
    /// <param name="sender">The sending device.</param>
    /// <param name="senderKind">Its account kind.</param>
    /// <param name="recipientAccounts">The accounts the message goes to (duplicates allowed).</param>
    /// <param name="category">The ledger category.</param>
    /// <returns>One charge per distinct other account, or none for a person.</returns>
    internal static IReadOnlyList<BillingCharge> Charges(DeviceAddress sender, PartyKind senderKind, IEnumerable<string> recipientAccounts, string category)
    {
        if (senderKind != PartyKind.Business)
        {
            return [];
        }

        var charges = new List<BillingCharge>();
        foreach (string account in recipientAccounts.Distinct(StringComparer.Ordinal))
        {
            if (!string.Equals(account, sender.Name, StringComparison.Ordinal))
            {
                charges.Add(new BillingCharge(sender.Name, account, category));
            }
        }

        return charges;
    }

    /// <summary>The service window a message opens: a person writing to a business.</summary>
    /// <param name="sender">The sending device.</param>
    /// <param name="senderKind">Its account kind.</param>
    /// <param name="recipientAccount">The recipient account.</param>
    /// <param name="recipientKind">Its kind.</param>
    /// <returns>The touch, or null.</returns>
    internal static ConversationTouch? Touch(DeviceAddress sender, PartyKind senderKind, string recipientAccount, PartyKind recipientKind) =>
        senderKind == PartyKind.Person && recipientKind == PartyKind.Business ? new ConversationTouch(sender.Name, recipientAccount) : null;
}
