using E2eChat.Wire;

namespace E2eChat.Client;

/// <summary>
/// A business wrote to the customer with neither an open window nor a grant for the message's category
/// (a relay that does not enforce let it through): the message is held as a request (PROTOCOL.md 17.4),
/// not shown and not receipted, until <see cref="ChatDevice.AcceptRequestAsync"/>,
/// <see cref="ChatDevice.BlockAsync"/> or <see cref="ChatDevice.ReportAsync"/>.
/// </summary>
public sealed class MessageRequestReceived : ChatEvent
{
    internal MessageRequestReceived(ProtocolAddress sender, Category category, ConsentDecision policy, int held)
    {
        Sender = sender;
        Category = category;
        Policy = policy;
        Held = held;
    }

    /// <summary>The business device that sent it.</summary>
    public ProtocolAddress Sender { get; }

    /// <summary>The business account (what accept, block and report take).</summary>
    public string Business => Sender.Name;

    /// <summary>The message's category.</summary>
    public Category Category { get; }

    /// <summary>Why it is not shown (the device's policy decision, e.g. <see cref="ConsentDecision.NoConsent"/>).</summary>
    public ConsentDecision Policy { get; }

    /// <summary>How many messages this business now has held.</summary>
    public int Held { get; }

    /// <summary>Names the business and reason, never contents.</summary>
    /// <returns>A description.</returns>
    public override string ToString() => $"MessageRequestReceived(from {Sender}, {Category}, {Policy}, {Held} held)";
}
