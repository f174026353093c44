
namespace E2eChat.Client;

/// <summary>
/// A contact's sender key for one of its audiences arrived through the pairwise session and was stored:
/// its group messages or status posts from this generation on can be read. Never carries the key.
/// </summary>
public sealed class SenderKeyReceived : ChatEvent
{
    internal SenderKeyReceived(ProtocolAddress sender, DistributionId groupId)
    {
        Sender = sender;
        GroupId = groupId;
    }

    /// <summary>The device whose sender key it is.</summary>
    public ProtocolAddress Sender { get; }

    /// <summary>The audience's distribution id (a group's id, or the sender's status audience).</summary>
    public DistributionId GroupId { get; }

    /// <summary>Names the sender and audience.</summary>
    /// <returns>A description.</returns>
    public override string ToString() => $"SenderKeyReceived(from {Sender} for {GroupId})";
}
