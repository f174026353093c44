using E2eChat.Ratchet;
using E2eChat.Tests.Ratchet;

namespace E2eChat.Tests.Sessions;

/// <summary>Test helper (not a test class): session states over the ratchets of a <see cref="RatchetTestPair"/>.</summary>
internal static class SessionTestFactory
{
    internal static byte[] Identity(byte tag) => Enumerable.Range(0, 128).Select(i => (byte)(i ^ tag)).ToArray();

    internal static PendingPreKeyFields Pending(byte[] identity, byte[] baseKey) =>
        new(identity, baseKey, signedPreKeyId: 7, oneTimePreKeyId: 9, kemPreKeyId: 11, new byte[PendingPreKeyFields.KemCiphertextLength]);

    /// <summary>A handshake between <paramref name="initiator"/> and <paramref name="responder"/>: the initiator's state (with pending pre-key fields) and the responder's.</summary>
    internal static (SessionState Initiator, SessionState Responder) Create(int seed, byte[] initiator, byte[] responder)
    {
        var pair = new RatchetTestPair(seed);
        byte[] baseKey = pair.Bytes(32);
        var initiatorState = new SessionState(pair.Alice, initiator, responder, baseKey, Pending(initiator, baseKey));
        var responderState = new SessionState(pair.Bob, responder, initiator, baseKey, null);
        return (initiatorState, responderState);
    }

    internal static EncryptedRatchetMessage Encrypt(SessionState sender, string text)
    {
        Assert.True(sender.TryEncrypt(RatchetTestPair.Text(text), out EncryptedRatchetMessage message, out E2eChatFailure failure), failure.ToString());
        return message;
    }
}
