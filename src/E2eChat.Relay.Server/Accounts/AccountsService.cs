using System.Text;
using E2eChat.Relay.Server.Api;

namespace E2eChat.Relay.Server.Accounts;

/// <summary>
/// The <c>Accounts</c> service (PROTOCOL.md 14.6): a device publishes its account's signed device
/// list; anyone signed in reads an account's current list. The relay pins the account key of the
/// first list and accepts later lists only under that key with a higher version. A customer's device
/// submits its consent and block records (17.5), verified under that pinned key, and any device
/// resolves a business's contact link to its current list (15.5), the link checked against that key.
/// </summary>
internal sealed class AccountsService
{
    private readonly IRelayStore _store;
    private readonly TimeProvider _time;

    /// <summary>Creates the service.</summary>
    public AccountsService(IRelayStore store, TimeProvider time)
    {
        _store = store;
        _time = time;
    }

    /// <summary>See <c>relay.proto</c>.</summary>
    /// <param name="request">The request.</param>
    /// <param name="context">The call.</param>
    /// <returns>The response.</returns>
    public async Task<PublishDeviceListResponse> PublishDeviceList(PublishDeviceListRequest request, ServerCallContext context)
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

    /// <summary>See <c>relay.proto</c>.</summary>
    /// <param name="request">The request.</param>
    /// <param name="context">The call.</param>
    /// <returns>The response.</returns>
    public async Task<GetDeviceListResponse> GetDeviceList(GetDeviceListRequest request, ServerCallContext context)
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

    /// <summary>See <c>relay.proto</c>.</summary>
    /// <param name="request">The request.</param>
    /// <param name="context">The call.</param>
    /// <returns>The response.</returns>
    public async Task<ResolveContactLinkResponse> ResolveContactLink(ResolveContactLinkRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        _ = AuthenticatedDevice.From(context);
        string? problem = ContactLinkInspector.Inspect(request.SignedLink.Span, out ContactLinkFacts? link);
        if (problem is not null)
        {
            throw RelayErrors.Create(StatusCode.InvalidArgument, RelayFailure.InvalidContactLink, $"the contact link is refused: {problem}");
        }

        if ((ulong)_time.GetUtcNow().ToUnixTimeMilliseconds() >= link!.ExpiresAtMilliseconds)
        {
            throw RelayErrors.Create(StatusCode.FailedPrecondition, RelayFailure.ContactLinkExpired, "the contact link has expired");
        }

        StoredDeviceList stored = await _store.GetDeviceListAsync(link.Account, context.CancellationToken).ConfigureAwait(false)
            ?? throw RelayErrors.Create(StatusCode.NotFound, RelayFailure.NoDeviceList, "the link's account has published no device list");

        // The stored list was read and verified when it was published; read again for its kind.
        if (DeviceListInspector.Inspect(stored.SignedList, out DeviceListFacts? list) is not null || list!.Kind != PartyKind.Business)
        {
            throw RelayErrors.Create(StatusCode.NotFound, RelayFailure.UnknownAccount, "the link's account is not a business account");
        }

        if (!stored.AccountKey.AsSpan().SequenceEqual(link.AccountKey))
        {
            throw RelayErrors.Create(StatusCode.FailedPrecondition, RelayFailure.AccountKeyMismatch, "the link is signed by another account key than the one the account's first device list pinned");
        }

        return new ResolveContactLinkResponse { Account = link.Account, SignedList = ByteString.CopyFrom(stored.SignedList), Version = stored.Version };
    }

    /// <summary>See <c>relay.proto</c>.</summary>
    /// <param name="request">The request.</param>
    /// <param name="context">The call.</param>
    /// <returns>The response.</returns>
    public async Task<SubmitConsentResponse> SubmitConsent(SubmitConsentRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        AuthenticatedDevice device = AuthenticatedDevice.From(context);
        byte[] signed = request.SignedRecord.ToByteArray();
        if (!WireConsentRecord.TryRead(signed, out SignedConsentRecordView view, out ConsentFailure failure))
        {
            throw RelayErrors.Consent(StatusCode.InvalidArgument, failure);
        }

        ConsentRecord record = view.ToRecord(signed);
        if (device.Kind != PartyKind.Person || !string.Equals(record.Customer, device.Address.Name, StringComparison.Ordinal))
        {
            throw RelayErrors.Create(StatusCode.PermissionDenied, RelayFailure.NotYourAccount, "a device submits only its own (person) account's consent records");
        }

        if (!Ed25519Verifier.Verify(signed.AsSpan(view.AccountKey), WireConsentRecord.Label, signed.AsSpan(view.Record), signed.AsSpan(view.Signature)))
        {
            throw RelayErrors.Consent(StatusCode.InvalidArgument, ConsentFailure.BadSignature);
        }

        CancellationToken ct = context.CancellationToken;
        byte[] accountKey = await _store.GetAccountKeyAsync(record.Customer, ct).ConfigureAwait(false)
            ?? throw RelayErrors.Consent(StatusCode.InvalidArgument, ConsentFailure.UnknownAccountKey);
        if (!signed.AsSpan(view.AccountKey).SequenceEqual(accountKey))
        {
            throw RelayErrors.Consent(StatusCode.InvalidArgument, ConsentFailure.WrongSigner);
        }

        IReadOnlyList<DeviceRegistration> business = await _store.GetAccountDevicesAsync(record.Business, ct).ConfigureAwait(false);
        if (business.Count == 0 || business[0].Kind != PartyKind.Business)
        {
            throw RelayErrors.Create(StatusCode.NotFound, RelayFailure.UnknownAccount, "the record's business is not a registered business account");
        }

        for (int attempt = 0; attempt < RelayServerLimits.MaxConsentSaveAttempts; attempt++)
        {
            StoredConsent? stored = await _store.GetConsentAsync(record.Customer, record.Business, ct).ConfigureAwait(false);
            ConsentState state = stored?.State ?? default;
            if (stored?.Record is { } newest && newest.AsSpan().SequenceEqual(signed))
            {
                // A retry of the applied block purges again: the purge is its own step (PROTOCOL.md 17.5).
                await PurgeIfBlockedAsync(record, state, ct).ConfigureAwait(false);
                return Answer(false, state);
            }

            if (record.ApplyTo(state, out ConsentState next) != ConsentFailure.None)
            {
                throw RelayErrors.Consent(StatusCode.FailedPrecondition, ConsentFailure.StaleSerial);
            }

            if (await _store.SaveConsentAsync(record.Customer, record.Business, state.Serial, next, signed, ct).ConfigureAwait(false))
            {
                await PurgeIfBlockedAsync(record, next, ct).ConfigureAwait(false);
                return Answer(true, next);
            }
        }

        // Each lost compare-and-swap means a newer record was applied meanwhile; this many in a row is a stale record in practice.
        throw RelayErrors.Consent(StatusCode.FailedPrecondition, ConsentFailure.StaleSerial);
    }

    /// <summary>
    /// Under a block, drops what the business has queued for the customer's devices. After the block is
    /// stored, so every later <c>Send</c> from the business is refused and nothing new can slip in behind it.
    /// </summary>
    private async Task PurgeIfBlockedAsync(ConsentRecord record, ConsentState state, CancellationToken cancellationToken)
    {
        if (state.IsBlocked)
        {
            await _store.PurgeFromSenderAsync(record.Customer, record.Business, cancellationToken).ConfigureAwait(false);
        }
    }

    private static SubmitConsentResponse Answer(bool changed, in ConsentState state) => new()
    {
        Changed = changed,
        Serial = state.Serial,
        Blocked = state.IsBlocked,
        Scopes = (uint)state.Scopes,
        GrantExpiresAtMs = state.GrantExpiresAtMilliseconds,
    };
}
