
namespace E2eChat.Relay.Server.Auth;

/// <summary>What the registration gate decides on.</summary>
/// <param name="Address">The device.</param>
/// <param name="Kind">The account kind it claims.</param>
/// <param name="IdentityKey">The identity it proved possession of (128 bytes, valid).</param>
/// <param name="Existing">Its registration, or null when it has none yet.</param>
internal sealed record DeviceAdmissionRequest(DeviceAddress Address, PartyKind Kind, byte[] IdentityKey, DeviceRegistration? Existing);
