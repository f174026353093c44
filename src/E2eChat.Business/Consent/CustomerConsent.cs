using E2eChat.Wire;

namespace E2eChat;

/// <summary>
/// A customer's consent towards businesses, on the customer's device (PROTOCOL.md sections 16 and 17):
/// one call each to grant, revoke, block or unblock, each producing a record signed by the customer's
/// account key with the pair's next serial and applied to the device's own state (to submit to the
/// relay and, for grants and revokes, to send to the business as proof); the window the customer's own
/// messages open; and the inbox decision for a business's message.
/// </summary>
public sealed class CustomerConsent
{
    /// <summary>Load-work-save rounds against a shared store before giving up (the session manager's bound).</summary>
    private const int MaxSaveAttempts = ProtocolLimits.MaxCommitAttempts;

    private readonly AccountKeyPair _accountKey;
    private readonly IConsentStateStore _store;
    private readonly TimeProvider _time;

    /// <summary>Creates the customer's consent book.</summary>
    /// <param name="customer">The customer's (person) account name.</param>
    /// <param name="accountKey">The customer's account key, which signs the records (the caller keeps and disposes it).</param>
    /// <param name="store">Where the state per business is kept.</param>
    /// <param name="time">The clock (records' issue times, windows, decisions).</param>
    /// <exception cref="ArgumentException"><paramref name="customer"/> is not an account name.</exception>
    public CustomerConsent(string customer, AccountKeyPair accountKey, IConsentStateStore store, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(customer);
        ArgumentNullException.ThrowIfNull(accountKey);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(time);
        if (!WireAddress.IsValidName(System.Text.Encoding.UTF8.GetBytes(customer)))
        {
            throw new ArgumentException("Not an account name.", nameof(customer));
        }

        Customer = customer;
        _accountKey = accountKey;
        _store = store;
        _time = time;
    }

    /// <summary>The customer's account.</summary>
    public string Customer { get; }

    /// <summary>Grants <paramref name="scopes"/> to a business (replacing earlier grants), optionally until <paramref name="expiresAt"/>.</summary>
    /// <param name="business">The business account.</param>
    /// <param name="scopes">The categories the business may send outside the window; not empty.</param>
    /// <param name="expiresAt">When the grant expires (after now), or <see langword="null"/> for never.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The signed record, already applied to the device's state.</returns>
    /// <exception cref="ArgumentException">The business, scopes or expiry break a rule of section 16.2.</exception>
    public ValueTask<SignedConsent> GrantAsync(string business, ConsentScopes scopes, DateTimeOffset? expiresAt = null, CancellationToken cancellationToken = default) =>
        RecordAsync(business, ConsentAction.Grant, scopes, expiresAt is { } at ? checked((ulong)at.ToUnixTimeMilliseconds()) : 0, cancellationToken);

    /// <summary>Revokes every grant to a business.</summary>
    /// <param name="business">The business account.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The signed record, already applied.</returns>
    /// <exception cref="ArgumentException"><paramref name="business"/> is not a business account name other than the customer's.</exception>
    public ValueTask<SignedConsent> RevokeAsync(string business, CancellationToken cancellationToken = default) =>
        RecordAsync(business, ConsentAction.Revoke, ConsentScopes.None, 0, cancellationToken);

    /// <summary>Blocks a business (one tap): nothing from it is shown again, every grant is revoked.</summary>
    /// <param name="business">The business account.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The signed record, already applied.</returns>
    /// <exception cref="ArgumentException"><paramref name="business"/> is not a business account name other than the customer's.</exception>
    public ValueTask<SignedConsent> BlockAsync(string business, CancellationToken cancellationToken = default) =>
        RecordAsync(business, ConsentAction.Block, ConsentScopes.None, 0, cancellationToken);

    /// <summary>Lifts a block (grants stay revoked until a new grant).</summary>
    /// <param name="business">The business account.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The signed record, already applied.</returns>
    /// <exception cref="ArgumentException"><paramref name="business"/> is not a business account name other than the customer's.</exception>
    public ValueTask<SignedConsent> UnblockAsync(string business, CancellationToken cancellationToken = default) =>
        RecordAsync(business, ConsentAction.Unblock, ConsentScopes.None, 0, cancellationToken);

    /// <summary>
    /// The customer wrote to a business (from this device or another of the account): opens or renews
    /// the 24-hour window (section 17.3), unless the business is blocked.
    /// </summary>
    /// <param name="business">The business account.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    /// <exception cref="InvalidOperationException">Other writers kept changing the state.</exception>
    public async ValueTask CustomerWroteAsync(string business, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(business);
        for (int attempt = 0; attempt < MaxSaveAttempts; attempt++)
        {
            ConsentState state = await GetStateAsync(business, cancellationToken).ConfigureAwait(false);
            ConsentState next = ConsentPolicy.OpenWindow(state, Now());
            if (next == state || await _store.TrySaveAsync(business, state, next, cancellationToken).ConfigureAwait(false))
            {
                return;
            }
        }

        throw new InvalidOperationException("The consent store kept changing; try again.");
    }

    /// <summary>What to do with a business's message of <paramref name="category"/> received now.</summary>
    /// <param name="business">The business account.</param>
    /// <param name="category">The message's category (1 to 4).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Show, hold as a request, or drop.</returns>
    public async ValueTask<InboxDecision> ClassifyAsync(string business, Category category, CancellationToken cancellationToken = default)
    {
        ConsentState state = await GetStateAsync(business, cancellationToken).ConfigureAwait(false);
        return ConsentInbox.Classify(state, category, Now());
    }

    /// <summary>The policy's decision (section 17.4) for a business's message of <paramref name="category"/> received now.</summary>
    /// <param name="business">The business account.</param>
    /// <param name="category">The message's category (1 to 4).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Deliver, or the refusal's reason.</returns>
    public async ValueTask<ConsentDecision> DecideAsync(string business, Category category, CancellationToken cancellationToken = default)
    {
        ConsentState state = await GetStateAsync(business, cancellationToken).ConfigureAwait(false);
        return ConsentPolicy.Decide(state, category, Now());
    }

    /// <summary>The device's state for a business.</summary>
    /// <param name="business">The business account.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The state (all zero when nothing happened).</returns>
    public async ValueTask<ConsentState> GetStateAsync(string business, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(business);
        return await _store.GetAsync(business, cancellationToken).ConfigureAwait(false) ?? default;
    }

    private async ValueTask<SignedConsent> RecordAsync(string business, ConsentAction action, ConsentScopes scopes, ulong expiresAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(business);
        ulong now = Now();
        for (int attempt = 0; attempt < MaxSaveAttempts; attempt++)
        {
            ConsentState state = await GetStateAsync(business, cancellationToken).ConfigureAwait(false);
            var record = new ConsentRecord(Customer, business, action, scopes, checked(state.Serial + 1), now, expiresAt);
            if (record.ApplyTo(state, out ConsentState next) != ConsentFailure.None)
            {
                // Unreachable: a fresh serial always applies. Kept as a guard.
                throw new InvalidOperationException("The record does not apply to the state.");
            }

            if (await _store.TrySaveAsync(business, state, next, cancellationToken).ConfigureAwait(false))
            {
                byte[] encoded = WireConsentRecord.WriteRecord(record);
                byte[] signed = WireConsentRecord.WriteSigned(_accountKey.PublicKey.AsSpan(), encoded, _accountKey.Sign(WireConsentRecord.Label, encoded));
                return new SignedConsent(record, signed);
            }
        }

        throw new InvalidOperationException("The consent store kept changing; try again.");
    }

    private ulong Now() => checked((ulong)_time.GetUtcNow().ToUnixTimeMilliseconds());
}
