
namespace E2eChat.Tests.Groups;

public sealed class SenderKeyStateTests
{
    [Fact]
    public void Constructor_CopiesValues()
    {
        byte[] chainKey = [.. Enumerable.Range(0, 32).Select(i => (byte)i)];
        byte[] signingKey = [.. Enumerable.Range(100, 32).Select(i => (byte)i)];
        using var state = new SenderKeyState(9, 4, chainKey, signingKey);
        chainKey[0] = 0xFF;
        signingKey[0] = 0xFF;
        Assert.Equal(9u, state.ChainId);
        Assert.Equal(4u, state.NextIteration);
        Assert.Equal(0, state.ChainKey[0]);
        Assert.Equal(100, state.SigningKey[0]);
    }

    [Fact]
    public void Constructor_InvalidArguments_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SenderKeyState(0, 0, new byte[32], new byte[32]));
        Assert.Throws<ArgumentException>(() => new SenderKeyState(1, 0, new byte[31], new byte[32]));
        Assert.Throws<ArgumentException>(() => new SenderKeyState(1, 0, new byte[32], new byte[33]));
    }

    [Fact]
    public void Dispose_WipesChainKey()
    {
        var state = new SenderKeyState(1, 0, new byte[32], new byte[32]);
        state.Dispose();
        Assert.Throws<ObjectDisposedException>(() => state.ChainKey[0]);
    }
}
