using System.Text;
using E2eChat.Relay.Server.Api;
using E2eChat.Relay.Server.Errors;
using E2eChat.Relay.Server.Storage;
using E2eChat.Wire;
using Google.Protobuf;
using Grpc.Core;

namespace E2eChat.Relay.Server.Accounts;

/// <summary>
/// The <c>Accounts</c> service (PROTOCOL.md 14.6): a device publishes its account's signed device
/// list; anyone signed in reads an account's current list. The relay pins the account key of the
/// first list and accepts later lists only under that key with a higher version.
/// </summary>
internal sealed class AccountsService : AccountsServiceBase
{
    private readonly IRelayStore _store;

    /// <summary>Creates the service.</summary>
    public AccountsService(IRelayStore store) => _store = store;

    /// <inheritdoc />
    public override async Task<PublishDeviceListResponse> PublishDeviceList(PublishDeviceListRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        AuthenticatedDevice device = AuthenticatedDevice.From(context);
        byte[] signed = request.SignedList.ToByteArray();
        string? problem = DeviceListInspector.Inspect(signed, out DeviceListFacts? facts);
        if (problem is not null)
        {
            throw RelayErrors.Create(StatusCode.InvalidArgument, RelayFailure.InvalidDeviceList, problem);
        }

        if (!string.Equals(facts!.Account, device.Address.Name, StringComparison.Ordinal) || facts.Kind != device.Kind)
        {
            throw RelayErrors.Create(StatusCode.PermissionDenied, RelayFailure.NotYourAccount, "a device publishes only its own account's device list, of its account's kind");
        }

        DeviceListOutcome outcome = await _store.PublishDeviceListAsync(facts.Account, facts.AccountKey, facts.Version, signed, context.CancellationToken).ConfigureAwait(false);
        return outcome switch
        {
            DeviceListOutcome.Published or DeviceListOutcome.Unchanged => new PublishDeviceListResponse { Changed = outcome == DeviceListOutcome.Published, Version = facts.Version },
            DeviceListOutcome.AccountKeyMismatch => throw RelayErrors.Create(StatusCode.FailedPrecondition, RelayFailure.AccountKeyMismatch, "the list is signed by another account key than the one the account's first list pinned"),
            _ => throw RelayErrors.Create(StatusCode.FailedPrecondition, RelayFailure.VersionRollback, "the list's version is not above the stored one"),
        };
    }

    /// <inheritdoc />
    public override async Task<GetDeviceListResponse> GetDeviceList(GetDeviceListRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        _ = AuthenticatedDevice.From(context);
        if (!WireAddress.IsValidName(Encoding.UTF8.GetBytes(request.Account)))
        {
            throw RelayErrors.Create(StatusCode.InvalidArgument, RelayFailure.InvalidAddress, "the account is not a valid account name");
        }

        StoredDeviceList stored = await _store.GetDeviceListAsync(request.Account, context.CancellationToken).ConfigureAwait(false)
            ?? throw RelayErrors.Create(StatusCode.NotFound, RelayFailure.NoDeviceList, "the account has published no device list");
        return new GetDeviceListResponse { SignedList = ByteString.CopyFrom(stored.SignedList) };
    }
}
