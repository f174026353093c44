namespace E2eChat.Wire;

/// <summary>
/// The policy's answer for one business-to-person message (PROTOCOL.md section 17): deliver it, or
/// the reason it is refused. The first rule of the decision table that matches gives the answer.
/// </summary>
public enum ConsentDecision
{
    /// <summary>Not a decision; never returned.</summary>
    Unspecified = 0,

    /// <summary>Deliver: the customer's 24-hour window is open, or the category is granted and unexpired.</summary>
    Deliver = 1,

    /// <summary>The customer blocked the business.</summary>
    Blocked = 2,

    /// <summary>The category was granted, but the grant has expired.</summary>
    Expired = 3,

    /// <summary>The customer's newest record revoked every grant.</summary>
    Revoked = 4,

    /// <summary>A service message after the customer's 24-hour window closed.</summary>
    WindowClosed = 5,

    /// <summary>No window and no grant for the category.</summary>
    NoConsent = 6,
}
