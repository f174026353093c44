using System.Text;

namespace E2eChat.Relay.Server.Auth;

/// <summary>
/// The body a device signs to answer a challenge (PROTOCOL.md 12.1), under the label
/// <c>E2eChat/v1/relay-auth</c>:
/// <c>u8(len(relay_id)) || relay_id || challenge (40) || u8(len(name)) || name || u8(device) || u8(kind)</c>.
/// </summary>
internal static class AuthMessage
{
    /// <summary>Builds the signed body.</summary>
    /// <param name="relayId">The relay's name (ASCII, at most 255 bytes).</param>
    /// <param name="challenge">The challenge.</param>
    /// <param name="device">The device.</param>
    /// <param name="kind">Its account's kind.</param>
    /// <returns>The body.</returns>
    internal static byte[] Build(string relayId, ReadOnlySpan<byte> challenge, DeviceAddress device, PartyKind kind)
    {
        byte[] relay = Encoding.ASCII.GetBytes(relayId);
        byte[] name = Encoding.ASCII.GetBytes(device.Name);
        if (relay.Length > byte.MaxValue)
        {
            throw new ArgumentException("The relay id is at most 255 bytes.", nameof(relayId));
        }

        byte[] body = new byte[1 + relay.Length + challenge.Length + 1 + name.Length + 2];
        int at = 0;
        body[at++] = (byte)relay.Length;
        relay.CopyTo(body, at);
        at += relay.Length;
        challenge.CopyTo(body.AsSpan(at));
        at += challenge.Length;
        body[at++] = (byte)name.Length;
        name.CopyTo(body, at);
        at += name.Length;
        body[at++] = (byte)device.Device;
        body[at] = (byte)kind;
        return body;
    }
}
