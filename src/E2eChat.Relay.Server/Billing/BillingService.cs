using E2eChat.Relay.Server.Api;
using DeviceAddress = E2eChat.Relay.Server.Addressing.DeviceAddress;
using Microsoft.Extensions.Options;

namespace E2eChat.Relay.Server.Billing;

/// <summary>The <c>Billing</c> service: a business device reads its own account's ledger, priced by the rate card.</summary>
internal sealed class BillingService
{
    private readonly IRelayStore _store;
    private readonly RelayOptions _options;

    /// <summary>Creates the service.</summary>
    public BillingService(IRelayStore store, IOptions<RelayOptions> options)
    {
        _store = store;
        _options = options.Value;
    }

    /// <summary>See <c>relay.proto</c>.</summary>
    /// <param name="request">The request.</param>
    /// <param name="context">The call.</param>
    /// <returns>The response.</returns>
    public async Task<GetUsageResponse> GetUsage(GetUsageRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        AuthenticatedDevice device = AuthenticatedDevice.From(context);
        if (device.Kind != PartyKind.Business || !string.Equals(request.Account, device.Address.Name, StringComparison.Ordinal))
        {
            throw RelayErrors.Create(StatusCode.PermissionDenied, RelayFailure.NotYourAccount, "only a business device reads usage, and only its own account's");
        }

        if (request.FromDay > request.ToDay || request.ToDay - request.FromDay >= RelayServerLimits.MaxUsageDays || request.ToDay > int.MaxValue)
        {
            throw RelayErrors.Create(StatusCode.InvalidArgument, RelayFailure.InvalidRange, $"from_day must not be after to_day, and a range covers at most {RelayServerLimits.MaxUsageDays} days");
        }

        IReadOnlyList<UsageEntry> entries = await _store.GetUsageAsync(device.Address.Name, (int)request.FromDay, (int)request.ToDay, context.CancellationToken).ConfigureAwait(false);
        var response = new GetUsageResponse { Currency = _options.Currency };
        foreach (UsageEntry entry in entries)
        {
            long price = _options.RateCard.TryGetValue(entry.Category, out long p) ? p : 0;
            response.Rows.Add(new UsageRow
            {
                Day = (uint)entry.Day,
                Category = entry.Category,
                Messages = (ulong)entry.Messages,
                UnitPriceMicros = (ulong)price,
                AmountMicros = (ulong)(price * entry.Messages),
            });
        }

        return response;
    }
}
