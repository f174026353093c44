namespace E2eChat.Relay.Server.Messaging;

/// <summary>A token bucket's key: a sending device and the account it writes to (or the sender's posts).</summary>
/// <param name="Sender">The sending device.</param>
/// <param name="Target">The recipient account, or <see cref="PostTarget"/>.</param>
internal readonly record struct RateKey(DeviceAddress Sender, string Target)
{
    /// <summary>The target of a device's posts (not a valid account name, so it never collides with one).</summary>
    internal const string PostTarget = "#posts";
}
