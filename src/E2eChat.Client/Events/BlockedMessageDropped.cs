using E2eChat.Wire;

namespace E2eChat.Client;

/// <summary>
/// A message from a business the customer blocked arrived anyway (a relay that does not enforce, or one
/// queued before the block): it was dropped on the device, never shown and never receipted.
/// </summary>
public sealed class BlockedMessageDropped : ChatEvent
{
    internal BlockedMessageDropped(ProtocolAddress sender, Category category)
    {
        Sender = sender;
        Category = category;
    }

    /// <summary>The blocked business's device.</summary>
    public ProtocolAddress Sender { get; }

    /// <summary>The envelope's category.</summary>
    public Category Category { get; }

    /// <summary>Names the sender only.</summary>
    /// <returns>A description.</returns>
    public override string ToString() => $"BlockedMessageDropped(from {Sender}, {Category})";
}
