using E2eChat.Wire;

namespace E2eChat;

/// <summary>What a customer's device did with one received message (<see cref="MessageRequests.ReceiveAsync"/>).</summary>
public sealed class InboxResult
{
    internal InboxResult(InboxDecision decision, ConsentDecision policy, E2eChatFailure violation, Category envelopeCategory, int contentCategory)
    {
        Decision = decision;
        Policy = policy;
        Violation = violation;
        EnvelopeCategory = envelopeCategory;
        ContentCategory = contentCategory;
    }

    /// <summary>Show, hold as a request, drop, or a category violation.</summary>
    public InboxDecision Decision { get; }

    /// <summary>
    /// The policy's decision (section 17.4) behind <see cref="Decision"/> for a business's message
    /// (<see cref="ConsentDecision.Deliver"/> when shown, the refusal's reason when held or dropped);
    /// <see cref="ConsentDecision.Deliver"/> for a person's message.
    /// </summary>
    public ConsentDecision Policy { get; }

    /// <summary>For <see cref="InboxDecision.Violation"/>: <c>CategoryMismatch</c>, <c>MissingCategory</c> or <c>UnexpectedCategory</c>; else <see cref="E2eChatFailure.None"/>.</summary>
    public E2eChatFailure Violation { get; }

    /// <summary>The category the envelope declared to the relay (field 10; unspecified when none).</summary>
    public Category EnvelopeCategory { get; }

    /// <summary>The category inside the encrypted content (0 when none).</summary>
    public int ContentCategory { get; }

    /// <summary>Whether the app may send delivery and read receipts: only for a message shown.</summary>
    public bool MaySendReceipts => Decision == InboxDecision.Show;

    /// <summary>Describes the outcome (no contents).</summary>
    /// <returns>A short description.</returns>
    public override string ToString() =>
        Decision == InboxDecision.Violation
            ? $"{Decision} {Violation} (envelope {EnvelopeCategory}, content {ContentCategory})"
            : $"{Decision} ({Policy})";
}
