using E2eChat.Ratchet;

namespace E2eChat.Tests.Ratchet;

public sealed class PaddingTests
{
    [Theory]
    [InlineData(0, 64)]
    [InlineData(1, 64)]
    [InlineData(63, 64)]
    [InlineData(64, 128)]
    [InlineData(127, 128)]
    [InlineData(128, 256)]
    [InlineData(255, 256)]
    [InlineData(256, 512)]
    [InlineData(511, 512)]
    [InlineData(1000, 1024)]
    [InlineData(1023, 1024)]
    [InlineData(1024, 2048)]
    [InlineData(4095, 4096)]
    [InlineData(8191, 8192)]
    [InlineData(8192, 16384)]
    [InlineData(16383, 16384)]
    [InlineData(16384, 32768)]
    [InlineData(32767, 32768)]
    [InlineData(32768, 49152)]
    [InlineData(49151, 49152)]
    [InlineData(49152, 65536)]
    [InlineData(65535, 65536)]
    [InlineData(65536, 81920)]
    public void GetPaddedLength_Length_IsSpecBucket(int plaintextLength, int bucket)
    {
        Assert.Equal(bucket, Padding.GetPaddedLength(plaintextLength));
    }

    [Fact]
    public void GetPaddedLength_AboveMaximum_Throws()
    {
        Assert.Equal(65536, ProtocolLimits.MaxPlaintextLength);
        Assert.Throws<ArgumentOutOfRangeException>(() => Padding.GetPaddedLength(ProtocolLimits.MaxPlaintextLength + 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Padding.GetPaddedLength(-1));
    }

    [Fact]
    public void IsBucket_AllLengths_ExactlyTheSpecList()
    {
        int[] expected = [64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768, 49152, 65536, 81920];
        var actual = new List<int>();
        for (int length = 0; length <= 100_000; length++)
        {
            if (Padding.IsBucket(length))
            {
                actual.Add(length);
            }
        }

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void GetPaddedLength_EveryPlaintextLength_IsABucketThatFits()
    {
        for (int length = 0; length <= ProtocolLimits.MaxPlaintextLength; length++)
        {
            int bucket = Padding.GetPaddedLength(length);
            Assert.True(Padding.IsBucket(bucket));
            Assert.True(bucket >= length + 1);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(63)]
    [InlineData(64)]
    [InlineData(16384)]
    [InlineData(65536)]
    public void PadThenUnpad_Plaintext_RoundTrips(int length)
    {
        byte[] plaintext = new byte[length];
        new Random(length).NextBytes(plaintext);
        if (length > 0)
        {
            plaintext[^1] = 0; // trailing zeros in the message itself must survive
        }

        byte[] padded = new byte[Padding.GetPaddedLength(length)];
        Padding.Pad(plaintext, padded);
        Assert.Equal(0x80, padded[length]);
        Assert.All(padded[(length + 1)..], b => Assert.Equal(0, b));
        Assert.True(Padding.TryUnpad(padded, out int unpadded));
        Assert.Equal(plaintext, padded[..unpadded]);
    }

    [Fact]
    public void Pad_WrongDestinationLength_Throws()
    {
        Assert.Throws<ArgumentException>(() => Padding.Pad(new byte[3], new byte[128]));
    }

    [Fact]
    public void TryUnpad_AllZeros_Invalid()
    {
        Assert.False(Padding.TryUnpad(new byte[64], out _));
    }

    [Fact]
    public void TryUnpad_LastNonZeroNotMarker_Invalid()
    {
        byte[] padded = new byte[64];
        padded[10] = 0x80;
        padded[20] = 0x01;
        Assert.False(Padding.TryUnpad(padded, out _));
    }

    [Fact]
    public void TryUnpad_MarkerAtEnd_Valid()
    {
        byte[] padded = new byte[64];
        padded[63] = 0x80;
        Assert.True(Padding.TryUnpad(padded, out int length));
        Assert.Equal(63, length);
    }

    [Fact]
    public void TryUnpad_MarkerFollowedByNonZero_Invalid()
    {
        byte[] padded = new byte[64];
        padded[0] = 0x80;
        padded[63] = 0x40;
        Assert.False(Padding.TryUnpad(padded, out _));
    }
}
