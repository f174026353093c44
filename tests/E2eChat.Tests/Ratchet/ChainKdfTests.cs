using E2eChat.Ratchet;

namespace E2eChat.Tests.Ratchet;

public sealed class ChainKdfTests
{
    [Fact]
    public void Advance_ChainKey_MatchesIndependentHmac()
    {
        byte[] chainKey = Enumerable.Range(0, 32).Select(i => (byte)(i ^ 0x5A)).ToArray();
        byte[] messageKey = new byte[32];
        byte[] next = new byte[32];
        ChainKdf.Advance(chainKey, messageKey, next);
        var expected = KdfTestVectors.ChainStep(chainKey);
        Assert.Equal(expected.MessageKey, messageKey);
        Assert.Equal(expected.NextChainKey, next);
    }

    [Fact]
    public void Advance_InPlace_SameResult()
    {
        byte[] chainKey = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        var expected = KdfTestVectors.ChainStep(chainKey);
        byte[] messageKey = new byte[32];
        ChainKdf.Advance(chainKey, messageKey, chainKey);
        Assert.Equal(expected.MessageKey, messageKey);
        Assert.Equal(expected.NextChainKey, chainKey);
    }

    [Fact]
    public void Advance_MessageKeyOverlapsChainKey_Throws()
    {
        byte[] buffer = new byte[64];
        Assert.Throws<ArgumentException>(() => ChainKdf.Advance(buffer.AsSpan(0, 32), buffer.AsSpan(16, 32), new byte[32]));
    }
}
