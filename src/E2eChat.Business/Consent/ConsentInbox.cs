using E2eChat.Wire;

namespace E2eChat;

/// <summary>
/// The device side of the consent policy (PROTOCOL.md section 17.4): the same keyless decision a relay
/// runs, over the state the customer's device keeps itself, so a relay that ignores the policy still
/// cannot put a blocked or unconsented business message in the inbox.
/// </summary>
internal static class ConsentInbox
{
    /// <summary>Classifies a business's message of <paramref name="category"/> received at <paramref name="nowMilliseconds"/>.</summary>
    /// <param name="state">The device's state for (this customer, the business).</param>
    /// <param name="category">The message's category (envelope field 10, checked against the content's).</param>
    /// <param name="nowMilliseconds">The device's clock, Unix milliseconds.</param>
    /// <returns><see cref="InboxDecision.Show"/> when delivered, <see cref="InboxDecision.Drop"/> when blocked, otherwise <see cref="InboxDecision.Request"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="category"/> is not 1 to 4.</exception>
    public static InboxDecision Classify(in ConsentState state, Category category, ulong nowMilliseconds) =>
        ConsentPolicy.Decide(state, category, nowMilliseconds) switch
        {
            ConsentDecision.Deliver => InboxDecision.Show,
            ConsentDecision.Blocked => InboxDecision.Drop,
            _ => InboxDecision.Request,
        };
}
