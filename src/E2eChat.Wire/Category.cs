namespace E2eChat.Wire;

/// <summary>
/// What a business message is, by the categories businesses are billed by (<c>Category</c> in
/// <c>wire.proto</c>; envelope field 10, PROTOCOL.md sections 8 and 16). Only an envelope from a
/// business to a person carries one; the same value travels inside the encrypted content, where the
/// recipient's device compares the two.
/// </summary>
public enum Category
{
    /// <summary>Not a valid category; only seen where no category is carried.</summary>
    Unspecified = 0,

    /// <summary>A reply in a conversation the customer opened (free inside the 24-hour window).</summary>
    Service = 1,

    /// <summary>Order, delivery and account updates.</summary>
    Utility = 2,

    /// <summary>Offers, news and anything promotional.</summary>
    Marketing = 3,

    /// <summary>One-time codes and other authentication messages.</summary>
    Authentication = 4,
}
