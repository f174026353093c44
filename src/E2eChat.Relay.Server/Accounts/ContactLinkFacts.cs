namespace E2eChat.Relay.Server.Accounts;

/// <summary>What the relay reads of a signed contact link whose signature verified (PROTOCOL.md 15.1, 15.5).</summary>
/// <param name="Account">The business account the link opens a chat with.</param>
/// <param name="AccountKey">The 32-byte account key the link names and was signed by.</param>
/// <param name="ExpiresAtMilliseconds">When the link stops opening (milliseconds since the Unix epoch).</param>
internal sealed record ContactLinkFacts(string Account, byte[] AccountKey, ulong ExpiresAtMilliseconds);
