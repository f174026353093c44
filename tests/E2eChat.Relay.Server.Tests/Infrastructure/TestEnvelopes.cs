using System.Security.Cryptography;

namespace E2eChat.Relay.Server.Tests.Infrastructure;

internal static class TestEnvelopes
{
    /// <summary>A canonical RatchetMessage body: an 80-byte header and a 64-byte bucket plus tag, random bytes.</summary>
    public static CiphertextMessage RandomRatchetMessage()
    {
        byte[] body = new byte[2 + 80 + 2 + 80];
        body[0] = 0x0a;
        body[1] = 80;
        RandomNumberGenerator.Fill(body.AsSpan(2, 80));
        body[82] = 0x12;
        body[83] = 80;
        RandomNumberGenerator.Fill(body.AsSpan(84, 80));
        return new CiphertextMessage(EnvelopeType.Ratchet, body);
    }
}
