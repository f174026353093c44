namespace E2eChat.Demo;

/// <summary>The outcome of one delivery to a device.</summary>
/// <param name="From">The sending device named in the envelope (default when the envelope did not decode).</param>
/// <param name="Text">The decrypted message, or null when the delivery was refused.</param>
/// <param name="Failure">Why it was refused (an envelope, decryption, handshake or content failure), or None.</param>
/// <param name="Note">What else the content said (a referral, a sync copy's recipient), or null.</param>
internal sealed record Received(ProtocolAddress From, string? Text, E2eChatFailure Failure, string? Note = null);
