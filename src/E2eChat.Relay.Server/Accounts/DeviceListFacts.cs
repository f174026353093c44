namespace E2eChat.Relay.Server.Accounts;

/// <summary>What the relay reads of a signed device list whose signature verified (PROTOCOL.md 14.6).</summary>
/// <param name="Account">The account the list is for.</param>
/// <param name="Kind">The account's kind.</param>
/// <param name="Version">The list's version.</param>
/// <param name="AccountKey">The 32-byte account key that signed it.</param>
internal sealed record DeviceListFacts(string Account, PartyKind Kind, ulong Version, byte[] AccountKey);
