namespace E2eChat.Relay.Server.Storage;

/// <summary>What one expiry sweep deleted.</summary>
/// <param name="Messages">Stored messages (with every queue entry for them).</param>
/// <param name="DedupRecords">Dedup and billing keys past their message's lifetime.</param>
/// <param name="Challenges">Used-challenge records past the challenge's expiry.</param>
internal readonly record struct ExpiryCounts(int Messages, int DedupRecords, int Challenges);
