using E2eChat.Ratchet;

namespace E2eChat.Tests.Ratchet;

public sealed class RootKdfTests
{
    [Fact]
    public void Advance_Inputs_MatchesIndependentHkdf()
    {
        byte[] rootKey = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        byte[] dh = Enumerable.Range(0, 32).Select(i => (byte)(200 - i)).ToArray();
        byte[] nextRoot = new byte[32];
        byte[] chain = new byte[32];
        byte[] header = new byte[32];
        RootKdf.Advance(rootKey, dh, nextRoot, chain, header);
        var expected = KdfTestVectors.RootStep(rootKey, dh);
        Assert.Equal(expected.RootKey, nextRoot);
        Assert.Equal(expected.ChainKey, chain);
        Assert.Equal(expected.HeaderKey, header);
    }

    [Fact]
    public void Advance_InPlaceRootKey_SameResult()
    {
        byte[] rootKey = Enumerable.Range(0, 32).Select(i => (byte)(i * 7)).ToArray();
        byte[] dh = Enumerable.Range(0, 32).Select(i => (byte)(i + 1)).ToArray();
        var expected = KdfTestVectors.RootStep(rootKey, dh);
        byte[] chain = new byte[32];
        byte[] header = new byte[32];
        RootKdf.Advance(rootKey, dh, rootKey, chain, header);
        Assert.Equal(expected.RootKey, rootKey);
        Assert.Equal(expected.ChainKey, chain);
    }

    [Fact]
    public void Advance_WrongLength_Throws()
    {
        Assert.Throws<ArgumentException>(() => RootKdf.Advance(new byte[31], new byte[32], new byte[32], new byte[32], new byte[32]));
        Assert.Throws<ArgumentException>(() => RootKdf.Advance(new byte[32], new byte[32], new byte[32], new byte[33], new byte[32]));
    }
}
