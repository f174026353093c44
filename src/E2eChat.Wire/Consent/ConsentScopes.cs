namespace E2eChat.Wire;

/// <summary>
/// The categories a customer lets a business send outside the 24-hour window (the <c>scopes</c>
/// bitmask of a consent record and of a contact link, PROTOCOL.md section 16): bit
/// <c>1 &lt;&lt; (category - 1)</c> for each <see cref="Category"/>.
/// </summary>
[Flags]
public enum ConsentScopes : uint
{
    /// <summary>No category.</summary>
    None = 0,

    /// <summary><see cref="Category.Service"/>.</summary>
    Service = 1,

    /// <summary><see cref="Category.Utility"/>.</summary>
    Utility = 2,

    /// <summary><see cref="Category.Marketing"/>.</summary>
    Marketing = 4,

    /// <summary><see cref="Category.Authentication"/>.</summary>
    Authentication = 8,

    /// <summary>Every category; any other bit is invalid (<c>InvalidScopes</c>).</summary>
    All = Service | Utility | Marketing | Authentication,
}
