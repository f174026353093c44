using E2eChat.Crypto;

namespace E2eChat.Tests.Sessions;

public sealed class SealedStateTests
{
    private static readonly byte[] s_key = Enumerable.Range(0, 32).Select(i => (byte)(i + 100)).ToArray();
    private static readonly byte[] s_state = Enumerable.Range(0, 300).Select(i => (byte)((i * 13) & 0xFF)).ToArray();

    [Fact]
    public void Seal_State_HasSpecLayout()
    {
        byte[] sealedState = SealedState.Seal(s_key, s_state);
        Assert.Equal(s_state.Length + 1 + 24 + 16, sealedState.Length);
        Assert.Equal(0x01, sealedState[0]);
        byte[] opened = new byte[s_state.Length];
        byte[] aad = [.. "E2eChat/v1/sealed-state"u8.ToArray(), 0x01];
        Assert.True(Aead.TryDecrypt(AeadAlgorithm.XChaCha20Poly1305, s_key, sealedState.AsSpan(1, 24), sealedState.AsSpan(25), aad, opened));
        Assert.Equal(s_state, opened);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(300)]
    public void TryOpen_Sealed_RoundTrips(int length)
    {
        byte[] state = s_state[..length];
        byte[] sealedState = SealedState.Seal(s_key, state);
        Assert.True(SealedState.TryOpen(s_key, sealedState, out byte[]? opened, out E2eChatFailure failure));
        Assert.Equal(E2eChatFailure.None, failure);
        Assert.Equal(state, opened);
        Assert.Equal(state, SealedState.Open(s_key, sealedState));
    }

    [Fact]
    public void Seal_SpanForm_RoundTrips()
    {
        byte[] sealedState = new byte[SealedState.GetSealedLength(s_state.Length)];
        SealedState.Seal(s_key, s_state, sealedState);
        byte[] destination = new byte[s_state.Length + 10];
        Assert.True(SealedState.TryOpen(s_key, sealedState, destination, out int written, out _));
        Assert.Equal(s_state, destination[..written]);
        Assert.Throws<ArgumentException>(() => SealedState.TryOpen(s_key, sealedState, new byte[s_state.Length - 1], out _, out _));
        Assert.Throws<ArgumentException>(() => SealedState.Seal(s_key, s_state, new byte[sealedState.Length + 1]));
    }

    [Fact]
    public void TryOpen_EveryByteFlipped_Unauthentic()
    {
        byte[] sealedState = SealedState.Seal(s_key, s_state);
        byte[] destination = new byte[s_state.Length];
        for (int i = 0; i < sealedState.Length; i++)
        {
            sealedState[i] ^= 0x04;
            Assert.False(SealedState.TryOpen(s_key, sealedState, destination, out int written, out E2eChatFailure failure));
            Assert.Equal(E2eChatFailure.Unauthentic, failure);
            Assert.Equal(0, written);
            Assert.All(destination, b => Assert.Equal(0, b));
            sealedState[i] ^= 0x04;
        }

        Assert.True(SealedState.TryOpen(s_key, sealedState, out byte[]? _, out _));
    }

    [Fact]
    public void TryOpen_Truncated_Unauthentic()
    {
        byte[] sealedState = SealedState.Seal(s_key, s_state);
        for (int length = 0; length < sealedState.Length; length++)
        {
            Assert.False(SealedState.TryOpen(s_key, sealedState.AsSpan(0, length), out byte[]? opened, out E2eChatFailure failure));
            Assert.Null(opened);
            Assert.Equal(E2eChatFailure.Unauthentic, failure);
        }
    }

    [Fact]
    public void TryOpen_WrongKey_Unauthentic()
    {
        byte[] sealedState = SealedState.Seal(s_key, s_state);
        byte[] other = (byte[])s_key.Clone();
        other[31] ^= 0x80;
        Assert.False(SealedState.TryOpen(other, sealedState, out byte[]? _, out E2eChatFailure failure));
        Assert.Equal(E2eChatFailure.Unauthentic, failure);
        var exception = Assert.Throws<E2eChatException>(() => SealedState.Open(other, sealedState));
        Assert.True(exception.Failure == E2eChatFailure.Unauthentic);
    }

    [Fact]
    public void Seal_WrongKeyLength_Throws()
    {
        Assert.Throws<ArgumentException>(() => SealedState.Seal(new byte[31], s_state));
        Assert.Throws<ArgumentException>(() => SealedState.TryOpen(new byte[33], new byte[100], out byte[]? _, out _));
    }

    [Fact]
    public void Seal_Twice_UsesFreshNonces()
    {
        byte[] a = SealedState.Seal(s_key, s_state);
        byte[] b = SealedState.Seal(s_key, s_state);
        Assert.NotEqual(a.AsSpan(1, 24).ToArray(), b.AsSpan(1, 24).ToArray());
    }

    [Fact]
    public void Seal_DeterministicRandom_Reproducible()
    {
        using var first = new DeterministicRandomSource(new byte[32]);
        using var second = new DeterministicRandomSource(new byte[32]);
        byte[] a = new byte[SealedState.GetSealedLength(s_state.Length)];
        byte[] b = new byte[a.Length];
        SealedState.Seal(s_key, s_state, a, first);
        SealedState.Seal(s_key, s_state, b, second);
        Assert.Equal(a, b);
    }
}
