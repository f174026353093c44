namespace E2eChat.Wire;

/// <summary>
/// What a relay or a customer's device knows about one (customer, business) pair (PROTOCOL.md
/// section 17): the newest consent record applied, whether the business is blocked, the scopes granted
/// and their expiry, and until when the customer's service window is open. A small immutable value:
/// <see cref="ConsentPolicy"/> computes a new one for each event and decides from it without
/// allocating. <see langword="default"/> is the state of a pair nothing happened to.
/// </summary>
public readonly struct ConsentState : IEquatable<ConsentState>
{
    /// <summary>Creates a state from stored values (a relay or device store loading it back).</summary>
    /// <param name="serial">The newest applied record's serial (0 when none).</param>
    /// <param name="lastAction">The newest applied record's action (<see cref="ConsentAction.Unspecified"/> when none).</param>
    /// <param name="blocked">Whether the business is blocked.</param>
    /// <param name="scopes">The scopes granted.</param>
    /// <param name="grantExpiresAtMilliseconds">When the grant expires (Unix ms), 0 for never.</param>
    /// <param name="windowUntilMilliseconds">Until when the service window is open (Unix ms, exclusive), 0 when never opened.</param>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="lastAction"/> is not a defined action, <paramref name="scopes"/> has a bit outside
    /// <see cref="ConsentScopes.All"/>, or the values contradict each other (a serial without an action
    /// or the reverse, an expiry without scopes).
    /// </exception>
    public ConsentState(ulong serial, ConsentAction lastAction, bool blocked, ConsentScopes scopes, ulong grantExpiresAtMilliseconds, ulong windowUntilMilliseconds)
    {
        if (lastAction is < ConsentAction.Unspecified or > ConsentAction.Unblock || (serial == 0) != (lastAction == ConsentAction.Unspecified))
        {
            throw new ArgumentOutOfRangeException(nameof(lastAction));
        }

        if ((scopes & ~ConsentScopes.All) != 0 || (scopes == ConsentScopes.None && grantExpiresAtMilliseconds != 0))
        {
            throw new ArgumentOutOfRangeException(nameof(scopes));
        }

        Serial = serial;
        LastAction = lastAction;
        IsBlocked = blocked;
        Scopes = scopes;
        GrantExpiresAtMilliseconds = grantExpiresAtMilliseconds;
        WindowUntilMilliseconds = windowUntilMilliseconds;
    }

    /// <summary>The serial of the newest record applied; 0 when none was.</summary>
    public ulong Serial { get; }

    /// <summary>The action of the newest record applied; <see cref="ConsentAction.Unspecified"/> when none was.</summary>
    public ConsentAction LastAction { get; }

    /// <summary>Whether the customer blocked the business (a BLOCK not yet followed by an UNBLOCK).</summary>
    public bool IsBlocked { get; }

    /// <summary>The scopes granted by the newest grant not revoked or blocked since.</summary>
    public ConsentScopes Scopes { get; }

    /// <summary>When those scopes expire, in Unix milliseconds; 0 when they do not.</summary>
    public ulong GrantExpiresAtMilliseconds { get; }

    /// <summary>
    /// Until when (exclusive, Unix milliseconds) the customer's 24-hour service window is open; 0 when
    /// the customer never wrote.
    /// </summary>
    public ulong WindowUntilMilliseconds { get; }

    /// <summary>Whether two states are equal in every value.</summary>
    /// <param name="left">One state.</param>
    /// <param name="right">The other.</param>
    /// <returns><see langword="true"/> when equal.</returns>
    public static bool operator ==(ConsentState left, ConsentState right) => left.Equals(right);

    /// <summary>Whether two states differ in any value.</summary>
    /// <param name="left">One state.</param>
    /// <param name="right">The other.</param>
    /// <returns><see langword="true"/> when different.</returns>
    public static bool operator !=(ConsentState left, ConsentState right) => !left.Equals(right);

    /// <inheritdoc />
    public bool Equals(ConsentState other) =>
        Serial == other.Serial &&
        LastAction == other.LastAction &&
        IsBlocked == other.IsBlocked &&
        Scopes == other.Scopes &&
        GrantExpiresAtMilliseconds == other.GrantExpiresAtMilliseconds &&
        WindowUntilMilliseconds == other.WindowUntilMilliseconds;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is ConsentState other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() =>
        HashCode.Combine(Serial, LastAction, IsBlocked, Scopes, GrantExpiresAtMilliseconds, WindowUntilMilliseconds);

    /// <summary>Describes the state (no secrets: consent state is what the relay stores anyway).</summary>
    /// <returns>A short description.</returns>
    public override string ToString() =>
        $"serial {Serial} ({LastAction}), blocked {IsBlocked}, scopes {Scopes} until {GrantExpiresAtMilliseconds}, window until {WindowUntilMilliseconds}";
}
