namespace E2eChat.Relay.Server.Storage;

/// <summary>The metering ledger (written by <see cref="IMessageStore.StoreAsync(IReadOnlyList{MessageToStore}, long, int, CancellationToken)"/>, in the same transaction).</summary>
internal interface IUsageStore
{
    /// <summary>An account's ledger rows between two days, by day then category.</summary>
    /// <param name="account">The business account.</param>
    /// <param name="fromDay">First day (inclusive).</param>
    /// <param name="toDay">Last day (inclusive).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The rows.</returns>
    ValueTask<IReadOnlyList<UsageEntry>> GetUsageAsync(string account, int fromDay, int toDay, CancellationToken cancellationToken);
}
