using E2eChat.Wire;

namespace E2eChat.Client;

/// <content>A business's bill (PROTOCOL.md 17.6).</content>
public sealed partial class ChatDevice
{
    /// <summary>Reads this business account's metered messages per UTC day and category from the relay.</summary>
    /// <param name="from">The first day (UTC).</param>
    /// <param name="to">The last day (UTC), inclusive.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The lines and the rate card's currency.</returns>
    /// <exception cref="E2eChatException">With a <see cref="E2eChatFailure"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="from"/> before 1970-01-01 or after <paramref name="to"/>.</exception>
    public async Task<(IReadOnlyList<UsageLine> Lines, string Currency)> GetUsageAsync(DateOnly from, DateOnly to, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfLessThan(from, s_epoch);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(from, to);
        var request = new Api.GetUsageRequest { Account = Address.Name, FromDay = (uint)from.DayNumber - (uint)s_epoch.DayNumber, ToDay = (uint)to.DayNumber - (uint)s_epoch.DayNumber };
        Api.GetUsageResponse response = await CallOrRefuseAsync("GetUsage", options => _billing.GetUsageAsync(request, options).ResponseAsync, cancellationToken).ConfigureAwait(false);

        if (response.Rows.Any(row => row.Day < request.FromDay || row.Day > request.ToDay))
        {
            // A day the request did not ask for (beyond any calendar, even): not this bill.
            throw Refused("GetUsage", MalformedRelayAnswer);
        }

        UsageLine[] lines = [.. response.Rows.Select(row => new UsageLine(
            s_epoch.AddDays((int)row.Day),
            Enum.TryParse(row.Category, ignoreCase: true, out Category category) ? category : Category.Unspecified,
            row.Messages,
            row.UnitPriceMicros,
            row.AmountMicros))];
        return (lines, response.Currency);
    }
}
