namespace E2eChat.Client;

/// <summary>A received status post as <c>groups.db</c> keeps it (sealed) until it expires.</summary>
/// <param name="SenderName">The posting device's account.</param>
/// <param name="SenderDevice">The posting device's id.</param>
/// <param name="SenderKind">The posting account's kind (<see cref="Wire.AccountKind"/> as a number).</param>
/// <param name="MessageIdHex">The post's envelope message id, hex.</param>
/// <param name="PostedAtMilliseconds">The envelope's timestamp (the sender's clock).</param>
/// <param name="ExpiresAtMilliseconds">The post's signed expiry.</param>
/// <param name="Body">The post's body.</param>
internal sealed record StatusRecord(string SenderName, uint SenderDevice, int SenderKind, string MessageIdHex, long PostedAtMilliseconds, long ExpiresAtMilliseconds, byte[] Body);
