namespace E2eChat.Client;

/// <summary>The relay's queue for this device overflowed and dropped this many of its oldest messages (PROTOCOL.md 12.4).</summary>
public sealed class MessagesDropped : ChatEvent
{
    internal MessagesDropped(ulong count) => Count = count;

    /// <summary>How many messages were dropped.</summary>
    public ulong Count { get; }

    /// <summary>Names the count.</summary>
    /// <returns>A description.</returns>
    public override string ToString() => $"MessagesDropped({Count})";
}
