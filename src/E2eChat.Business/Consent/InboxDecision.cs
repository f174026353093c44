namespace E2eChat;

/// <summary>What a customer's device does with a business's message it decrypted (PROTOCOL.md section 17.4, "Device").</summary>
public enum InboxDecision
{
    /// <summary>Not a decision; never returned.</summary>
    Unspecified = 0,

    /// <summary>Show it in the inbox (the window is open or the category is granted); receipts may be sent.</summary>
    Show = 1,

    /// <summary>
    /// Hold it as a message request: not in the inbox and no delivery or read receipt, until the
    /// customer accepts, blocks or reports it.
    /// </summary>
    Request = 2,

    /// <summary>Drop it: the customer blocked the business. Never shown, no receipt.</summary>
    Drop = 3,

    /// <summary>
    /// A content category rule was broken (section 13: <c>CategoryMismatch</c>, <c>MissingCategory</c>
    /// or <c>UnexpectedCategory</c>): not shown as a normal message, no receipt; the app may report it.
    /// </summary>
    Violation = 4,
}
