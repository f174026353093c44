namespace E2eChat.Relay.Server.Storage;

/// <summary>A customer wrote to a business: the store records the time, for the 24-hour service window.</summary>
/// <param name="Customer">The person's account.</param>
/// <param name="Business">The business's account.</param>
internal readonly record struct ConversationTouch(string Customer, string Business);
