namespace E2eChat.Wire;

/// <summary>
/// The keyless consent policy (PROTOCOL.md section 17): how a consent record, a customer's message and
/// the clock change a pair's <see cref="ConsentState"/>, and whether a business message of a given
/// category is delivered. Pure and deterministic, allocation-free: a relay runs it to enforce, a
/// customer's device runs the same function to decide what it shows, so both always agree.
/// </summary>
public static class ConsentPolicy
{
    /// <summary>
    /// How long a customer's message opens the service window for, in milliseconds: 24 hours (the
    /// customer-service window of WhatsApp's Business Platform, which businesses know and bill by).
    /// </summary>
    public const ulong ServiceWindowMilliseconds = 24UL * 60 * 60 * 1000;

    /// <summary>The scope bit of a category: <c>1 &lt;&lt; (category - 1)</c>.</summary>
    /// <param name="category">A category, <see cref="Category.Service"/> to <see cref="Category.Authentication"/>.</param>
    /// <returns>Its scope.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="category"/> is not 1 to 4.</exception>
    public static ConsentScopes ScopeOf(Category category)
    {
        if (category is < Category.Service or > Category.Authentication)
        {
            throw new ArgumentOutOfRangeException(nameof(category));
        }

        return (ConsentScopes)(1u << ((int)category - 1));
    }

    /// <summary>
    /// Decides a business-to-person message of <paramref name="category"/> at
    /// <paramref name="nowMilliseconds"/>: the first rule that matches, in the order of section 17.
    /// </summary>
    /// <param name="state">The pair's state.</param>
    /// <param name="category">The envelope's category (1 to 4).</param>
    /// <param name="nowMilliseconds">The deciding clock, Unix milliseconds.</param>
    /// <returns><see cref="ConsentDecision.Deliver"/> or the refusal's reason.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="category"/> is not 1 to 4.</exception>
    public static ConsentDecision Decide(in ConsentState state, Category category, ulong nowMilliseconds)
    {
        ConsentScopes scope = ScopeOf(category);
        if (state.IsBlocked)
        {
            return ConsentDecision.Blocked;
        }

        if (nowMilliseconds < state.WindowUntilMilliseconds)
        {
            return ConsentDecision.Deliver;
        }

        if ((state.Scopes & scope) != 0)
        {
            return state.GrantExpiresAtMilliseconds == 0 || nowMilliseconds < state.GrantExpiresAtMilliseconds
                ? ConsentDecision.Deliver
                : ConsentDecision.Expired;
        }

        if (state.LastAction == ConsentAction.Revoke)
        {
            return ConsentDecision.Revoked;
        }

        return category == Category.Service && state.WindowUntilMilliseconds != 0
            ? ConsentDecision.WindowClosed
            : ConsentDecision.NoConsent;
    }

    /// <summary>
    /// Applies a consent record's values to a pair's state: only a record whose serial is greater than
    /// the newest applied one changes anything (section 17, "Applying a record").
    /// </summary>
    /// <param name="state">The pair's state.</param>
    /// <param name="action">The record's action.</param>
    /// <param name="scopes">The record's scopes: nonzero for a grant, none otherwise.</param>
    /// <param name="serial">The record's serial, at least 1.</param>
    /// <param name="grantExpiresAtMilliseconds">A grant's expiry (0 for none); 0 for the other actions.</param>
    /// <param name="next">The new state; <paramref name="state"/> when the serial is stale.</param>
    /// <returns><see langword="false"/> when the serial is not above the state's (<c>StaleSerial</c>): nothing changes.</returns>
    /// <exception cref="ArgumentOutOfRangeException">
    /// The values are not those of a valid record (an undefined action, scopes with a bit outside
    /// <see cref="ConsentScopes.All"/>, a grant without scopes, scopes or an expiry on another action,
    /// serial 0). Records read by the consent record codec are always valid.
    /// </exception>
    public static bool TryApply(in ConsentState state, ConsentAction action, ConsentScopes scopes, ulong serial, ulong grantExpiresAtMilliseconds, out ConsentState next)
    {
        ArgumentOutOfRangeException.ThrowIfZero(serial);
        if ((scopes & ~ConsentScopes.All) != 0 || (action == ConsentAction.Grant) != (scopes != ConsentScopes.None))
        {
            throw new ArgumentOutOfRangeException(nameof(scopes));
        }

        if (action is < ConsentAction.Grant or > ConsentAction.Unblock || (action != ConsentAction.Grant && grantExpiresAtMilliseconds != 0))
        {
            throw new ArgumentOutOfRangeException(nameof(action));
        }

        if (serial <= state.Serial)
        {
            next = state;
            return false;
        }

        next = action switch
        {
            ConsentAction.Grant => new ConsentState(serial, action, state.IsBlocked, scopes, grantExpiresAtMilliseconds, state.WindowUntilMilliseconds),
            ConsentAction.Revoke => new ConsentState(serial, action, state.IsBlocked, ConsentScopes.None, 0, state.WindowUntilMilliseconds),
            ConsentAction.Block => new ConsentState(serial, action, blocked: true, ConsentScopes.None, 0, state.WindowUntilMilliseconds),
            _ => new ConsentState(serial, action, blocked: false, state.Scopes, state.GrantExpiresAtMilliseconds, state.WindowUntilMilliseconds),
        };
        return true;
    }

    /// <summary>
    /// A customer's message to the business at <paramref name="nowMilliseconds"/> opens or renews the
    /// service window: it stays open until <c>max(window_until, now + 24 h)</c> (saturating at
    /// 2^64 - 1). A blocked pair's window does not change.
    /// </summary>
    /// <param name="state">The pair's state.</param>
    /// <param name="nowMilliseconds">When the customer's message was accepted, Unix milliseconds.</param>
    /// <returns>The new state.</returns>
    public static ConsentState OpenWindow(in ConsentState state, ulong nowMilliseconds)
    {
        if (state.IsBlocked)
        {
            return state;
        }

        ulong until = nowMilliseconds > ulong.MaxValue - ServiceWindowMilliseconds ? ulong.MaxValue : nowMilliseconds + ServiceWindowMilliseconds;
        return until <= state.WindowUntilMilliseconds
            ? state
            : new ConsentState(state.Serial, state.LastAction, state.IsBlocked, state.Scopes, state.GrantExpiresAtMilliseconds, until);
    }
}
