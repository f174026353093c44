namespace E2eChat.Relay.Server.Storage;

/// <summary>
/// One billable message: a business account sent a logical message (its message id) to another
/// account. The ledger counts each (business, recipient account, message id) once, however many
/// devices it went to and however often it was retried.
/// </summary>
/// <param name="BusinessAccount">Who pays.</param>
/// <param name="RecipientAccount">To whom (never the business itself).</param>
/// <param name="Category">The ledger category.</param>
internal sealed record BillingCharge(string BusinessAccount, string RecipientAccount, string Category);
