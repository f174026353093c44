using E2eChat.Ratchet;

namespace E2eChat.Tests.Ratchet;

public sealed class MessageKeysTests
{
    [Fact]
    public void Expand_MessageKey_MatchesIndependentHkdf()
    {
        byte[] messageKey = Enumerable.Range(0, 32).Select(i => (byte)(3 * i + 1)).ToArray();
        byte[] output = new byte[MessageKeys.Length];
        MessageKeys.Expand(messageKey, output);
        var expected = KdfTestVectors.MessageKeys(messageKey);
        Assert.Equal(44, output.Length);
        Assert.Equal(expected.Key, MessageKeys.Key(output).ToArray());
        Assert.Equal(expected.Nonce, MessageKeys.Nonce(output).ToArray());
    }

    [Fact]
    public void Expand_WrongLengths_Throw()
    {
        Assert.Throws<ArgumentException>(() => MessageKeys.Expand(new byte[31], new byte[44]));
        Assert.Throws<ArgumentException>(() => MessageKeys.Expand(new byte[32], new byte[43]));
    }
}
