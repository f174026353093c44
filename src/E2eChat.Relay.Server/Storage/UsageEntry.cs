namespace E2eChat.Relay.Server.Storage;

/// <summary>One ledger row: billed messages of an account on a UTC day in a category.</summary>
/// <param name="Day">UTC days since 1970-01-01.</param>
/// <param name="Category">The category.</param>
/// <param name="Messages">Billed messages.</param>
internal sealed record UsageEntry(int Day, string Category, long Messages);
