namespace E2eChat.Wire;

/// <summary>
/// A consent record's values (<c>ConsentRecord</c>, PROTOCOL.md section 16.2): a customer's grant,
/// revoke, block or unblock for one business. Construction checks every rule a reader checks, so a
/// record that exists is valid; <see cref="WireConsentRecord.WriteRecord"/> encodes it canonically.
/// </summary>
public sealed class ConsentRecord : IEquatable<ConsentRecord>
{
    /// <summary>Creates a record.</summary>
    /// <param name="customer">The customer's (person) account name.</param>
    /// <param name="business">The business's account name, not the customer's.</param>
    /// <param name="action">What the record does.</param>
    /// <param name="scopes">For <see cref="ConsentAction.Grant"/>, the (nonempty) scopes granted; otherwise <see cref="ConsentScopes.None"/>.</param>
    /// <param name="serial">The pair's record serial, at least 1, above every earlier one.</param>
    /// <param name="issuedAtMilliseconds">The customer's clock when signing, Unix ms, nonzero.</param>
    /// <param name="expiresAtMilliseconds">For a grant, its expiry (after the issue time) or 0 for none; otherwise 0.</param>
    /// <exception cref="ArgumentException">A value breaks a rule of section 16.2.</exception>
    public ConsentRecord(string customer, string business, ConsentAction action, ConsentScopes scopes, ulong serial, ulong issuedAtMilliseconds, ulong expiresAtMilliseconds = 0)
    {
        ArgumentNullException.ThrowIfNull(customer);
        ArgumentNullException.ThrowIfNull(business);
        ConsentFailure failure = Check(customer, business, action, scopes, serial, issuedAtMilliseconds, expiresAtMilliseconds);
        if (failure != ConsentFailure.None)
        {
            throw new ArgumentException($"Not a valid consent record: {failure}.", ParameterOf(failure));
        }

        Customer = customer;
        Business = business;
        Action = action;
        Scopes = scopes;
        Serial = serial;
        IssuedAtMilliseconds = issuedAtMilliseconds;
        ExpiresAtMilliseconds = expiresAtMilliseconds;
    }

    /// <summary>The customer's account name.</summary>
    public string Customer { get; }

    /// <summary>The business's account name.</summary>
    public string Business { get; }

    /// <summary>What the record does.</summary>
    public ConsentAction Action { get; }

    /// <summary>The scopes a grant grants; <see cref="ConsentScopes.None"/> for the other actions.</summary>
    public ConsentScopes Scopes { get; }

    /// <summary>The record's serial for the pair.</summary>
    public ulong Serial { get; }

    /// <summary>When the customer signed it (the customer's clock), Unix milliseconds.</summary>
    public ulong IssuedAtMilliseconds { get; }

    /// <summary>A grant's expiry, Unix milliseconds; 0 for none.</summary>
    public ulong ExpiresAtMilliseconds { get; }

    /// <summary>Applies this record to a pair's state (PROTOCOL.md section 17.2).</summary>
    /// <param name="state">The state of the pair (<see cref="Customer"/>, <see cref="Business"/>).</param>
    /// <param name="next">The new state, or <paramref name="state"/> when refused.</param>
    /// <returns><see cref="ConsentFailure.None"/>, or <see cref="ConsentFailure.StaleSerial"/> (nothing changes).</returns>
    public ConsentFailure ApplyTo(in ConsentState state, out ConsentState next) =>
        ConsentPolicy.TryApply(state, Action, Scopes, Serial, ExpiresAtMilliseconds, out next) ? ConsentFailure.None : ConsentFailure.StaleSerial;

    /// <summary>Applies this record to the state of the pair (<paramref name="customer"/>, <paramref name="business"/>).</summary>
    /// <param name="customer">The pair's customer.</param>
    /// <param name="business">The pair's business.</param>
    /// <param name="state">The pair's state.</param>
    /// <param name="next">The new state, or <paramref name="state"/> when refused.</param>
    /// <returns>
    /// <see cref="ConsentFailure.None"/>; <see cref="ConsentFailure.WrongPair"/> when the record names
    /// another pair; <see cref="ConsentFailure.StaleSerial"/>. A refusal changes nothing.
    /// </returns>
    public ConsentFailure ApplyTo(string customer, string business, in ConsentState state, out ConsentState next)
    {
        ArgumentNullException.ThrowIfNull(customer);
        ArgumentNullException.ThrowIfNull(business);
        if (!string.Equals(customer, Customer, StringComparison.Ordinal) || !string.Equals(business, Business, StringComparison.Ordinal))
        {
            next = state;
            return ConsentFailure.WrongPair;
        }

        return ApplyTo(state, out next);
    }

    /// <inheritdoc />
    public bool Equals(ConsentRecord? other) =>
        other is not null &&
        string.Equals(Customer, other.Customer, StringComparison.Ordinal) &&
        string.Equals(Business, other.Business, StringComparison.Ordinal) &&
        Action == other.Action &&
        Scopes == other.Scopes &&
        Serial == other.Serial &&
        IssuedAtMilliseconds == other.IssuedAtMilliseconds &&
        ExpiresAtMilliseconds == other.ExpiresAtMilliseconds;

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as ConsentRecord);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Customer, Business, Action, Scopes, Serial, IssuedAtMilliseconds, ExpiresAtMilliseconds);

    /// <summary>Describes the record (all of it is public: relays read it).</summary>
    /// <returns>A short description.</returns>
    public override string ToString() => $"{Action} {Customer} -> {Business} #{Serial} scopes {Scopes}";

    /// <summary>The first rule of section 16.2 step 3 that the values break, or <see cref="ConsentFailure.None"/>.</summary>
    internal static ConsentFailure Check(string customer, string business, ConsentAction action, ConsentScopes scopes, ulong serial, ulong issuedAt, ulong expiresAt)
    {
        if (!IsName(customer))
        {
            return ConsentFailure.InvalidCustomer;
        }

        if (!IsName(business) || string.Equals(customer, business, StringComparison.Ordinal))
        {
            return ConsentFailure.InvalidBusiness;
        }

        if (action is < ConsentAction.Grant or > ConsentAction.Unblock)
        {
            return ConsentFailure.InvalidAction;
        }

        if ((scopes & ~ConsentScopes.All) != 0)
        {
            return ConsentFailure.InvalidScopes;
        }

        if (action != ConsentAction.Grant && scopes != ConsentScopes.None)
        {
            return ConsentFailure.UnexpectedScopes;
        }

        if (action == ConsentAction.Grant && scopes == ConsentScopes.None)
        {
            return ConsentFailure.MissingScopes;
        }

        if (serial == 0)
        {
            return ConsentFailure.MissingSerial;
        }

        if (issuedAt == 0)
        {
            return ConsentFailure.MissingIssuedAt;
        }

        if (expiresAt != 0 && action != ConsentAction.Grant)
        {
            return ConsentFailure.UnexpectedExpiry;
        }

        return expiresAt != 0 && expiresAt <= issuedAt ? ConsentFailure.InvalidExpiry : ConsentFailure.None;
    }

    private static bool IsName(string name)
    {
        if (name.Length is 0 or > WireLimits.MaxNameLength)
        {
            return false;
        }

        foreach (char c in name)
        {
            if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '.' or '_' or '-'))
            {
                return false;
            }
        }

        return true;
    }

    private static string ParameterOf(ConsentFailure failure) => failure switch
    {
        ConsentFailure.InvalidCustomer => "customer",
        ConsentFailure.InvalidBusiness => "business",
        ConsentFailure.InvalidAction => "action",
        ConsentFailure.InvalidScopes or ConsentFailure.UnexpectedScopes or ConsentFailure.MissingScopes => "scopes",
        ConsentFailure.MissingSerial => "serial",
        ConsentFailure.MissingIssuedAt => "issuedAtMilliseconds",
        _ => "expiresAtMilliseconds",
    };
}
