namespace E2eChat.Relay.Server.Storage;

/// <summary>What the policy engine may read about a conversation (more comes with consent and blocks).</summary>
internal interface IConversationStore
{
    /// <summary>When the customer last wrote to the business (the start of the 24-hour service window).</summary>
    /// <param name="customer">The person's account.</param>
    /// <param name="business">The business's account.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Unix milliseconds, or <see langword="null"/> when never.</returns>
    ValueTask<long?> GetLastCustomerMessageAsync(string customer, string business, CancellationToken cancellationToken);
}
