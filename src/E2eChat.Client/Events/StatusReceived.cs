namespace E2eChat.Client;

/// <summary>A status post (a sender-key message with an expiry) decrypted and kept until it expires (<see cref="ChatDevice.ListStatusAsync"/>).</summary>
public sealed class StatusReceived : ChatEvent
{
    internal StatusReceived(StatusPost post) => Post = post;

    /// <summary>The post.</summary>
    public StatusPost Post { get; }

    /// <summary>Names the sender and expiry, never the contents.</summary>
    /// <returns>A description.</returns>
    public override string ToString() => $"StatusReceived({Post})";
}
