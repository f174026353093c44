using System.Text;
using E2eChat.Crypto;
using E2eChat.Tests.Handshake;

namespace E2eChat.Tests.Groups;

/// <summary>
/// Test helper: one sender (deterministic randomness) and <c>n</c> viewers, each holding a
/// <see cref="SenderKeyRecord"/> created from the sender's first distribution.
/// </summary>
internal sealed class SenderKeyTestGroup : IDisposable
{
    /// <summary>A fixed receiver clock: 2026-01-01T00:00:00Z.</summary>
    internal const ulong Now = 1_767_225_600_000;

    internal SenderKeyTestGroup(int viewers, ulong seed = 1)
    {
        Random = TestRandom.FromSeed(seed);
        Sender = GroupSender.Create(Random);
        using SecretBuffer distribution = Sender.CreateDistributionMessage();
        Viewers = [.. Enumerable.Range(0, viewers).Select(_ => SenderKeyRecord.Create(distribution.Span))];
    }

    internal DeterministicRandomSource Random { get; }

    internal GroupSender Sender { get; }

    internal List<SenderKeyRecord> Viewers { get; }

    internal SenderKeyRecord Viewer => Viewers[0];

    internal static byte[] Text(string text) => Encoding.UTF8.GetBytes(text);

    internal static byte[] Serialize(SenderKeyRecord record) => record.Serialize();

    /// <summary>Encrypts a post and returns the encoded SenderKeyMessage.</summary>
    internal byte[] Post(string text, ulong expiresAt = 0) => Post(Text(text), expiresAt);

    internal byte[] Post(byte[] plaintext, ulong expiresAt = 0)
    {
        CiphertextMessage message = Sender.Encrypt(plaintext, expiresAt);
        Assert.Equal(E2eChat.Wire.EnvelopeType.SenderKey, message.Type);
        return message.Body.ToArray();
    }

    /// <summary>The current distribution message, as bytes.</summary>
    internal byte[] Distribution()
    {
        using SecretBuffer distribution = Sender.CreateDistributionMessage();
        return distribution.Span.ToArray();
    }

    /// <summary>Decrypts and asserts success.</summary>
    internal static byte[] Open(SenderKeyRecord record, byte[] message, ulong now = Now)
    {
        Assert.True(record.TryDecrypt(message, now, out byte[]? plaintext, out E2eChatFailure failure), failure.ToString());
        Assert.Equal(E2eChatFailure.None, failure);
        return plaintext;
    }

    /// <summary>Asserts a decryption fails with <paramref name="expected"/> and leaves the record unchanged.</summary>
    internal static void Refused(SenderKeyRecord record, byte[] message, E2eChatFailure expected, ulong now = Now)
    {
        byte[] before = record.Serialize();
        Assert.False(record.TryDecrypt(message, now, out byte[]? plaintext, out E2eChatFailure failure));
        Assert.Equal(expected, failure);
        Assert.Null(plaintext);
        Assert.Equal(before, record.Serialize());
    }

    public void Dispose()
    {
        foreach (SenderKeyRecord viewer in Viewers)
        {
            viewer.Dispose();
        }

        Sender.Dispose();
        Random.Dispose();
    }
}
