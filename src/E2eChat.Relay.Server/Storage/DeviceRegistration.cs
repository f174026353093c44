namespace E2eChat.Relay.Server.Storage;

/// <summary>A registered device: its address, its account's kind and its pinned public identity.</summary>
/// <param name="Address">The device.</param>
/// <param name="Kind">Its account's kind (the same for every device of an account).</param>
/// <param name="IdentityKey">The 128-byte public identity, pinned at registration.</param>
/// <param name="RegisteredAtMilliseconds">When it registered, in Unix milliseconds.</param>
internal sealed record DeviceRegistration(DeviceAddress Address, PartyKind Kind, byte[] IdentityKey, long RegisteredAtMilliseconds);
