namespace E2eChat.Client;

/// <summary>Everything the relay had queued for this device has been reported; new messages follow as they arrive.</summary>
public sealed class QueueCaughtUp : ChatEvent
{
    internal QueueCaughtUp(int delivered) => Delivered = delivered;

    /// <summary>How many deliveries this stream handled before catching up (duplicates included).</summary>
    public int Delivered { get; }

    /// <summary>Names the event.</summary>
    /// <returns>A description.</returns>
    public override string ToString() => $"QueueCaughtUp({Delivered})";
}
