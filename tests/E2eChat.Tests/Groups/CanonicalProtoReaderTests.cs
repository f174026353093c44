using E2eChat.Groups;

namespace E2eChat.Tests.Groups;

public sealed class CanonicalProtoReaderTests
{
    [Theory]
    [InlineData(new byte[] { 0x08, 0x01 }, true, 1ul)]
    [InlineData(new byte[] { 0x08, 0x7F }, true, 127ul)]
    [InlineData(new byte[] { 0x08, 0x80, 0x01 }, true, 128ul)]
    [InlineData(new byte[] { 0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01 }, true, ulong.MaxValue)]
    [InlineData(new byte[] { 0x08, 0x00 }, false, 0ul)]
    [InlineData(new byte[] { 0x08, 0x81, 0x00 }, false, 0ul)]
    [InlineData(new byte[] { 0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02 }, false, 0ul)]
    [InlineData(new byte[] { 0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x81, 0x00 }, false, 0ul)]
    [InlineData(new byte[] { 0x08, 0x80 }, false, 0ul)]
    [InlineData(new byte[] { 0x08 }, false, 0ul)]
    public void ReadRequiredVarint_MinimalNonzeroOnly(byte[] input, bool valid, ulong expected)
    {
        var reader = new CanonicalProtoReader(input);
        Assert.Equal(valid, reader.ReadRequiredVarint(0x08, ulong.MaxValue, out ulong value) && reader.IsAtEnd);
        if (valid)
        {
            Assert.Equal(expected, value);
        }
    }

    [Fact]
    public void ReadRequiredVarint_AboveMaximum_Refused()
    {
        var reader = new CanonicalProtoReader([0x08, 0x80, 0x80, 0x80, 0x80, 0x10]);
        Assert.False(reader.ReadRequiredVarint(0x08, uint.MaxValue, out _));
        reader = new CanonicalProtoReader([0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F]);
        Assert.True(reader.ReadRequiredVarint(0x08, uint.MaxValue, out ulong value));
        Assert.Equal(uint.MaxValue, value);
    }

    [Fact]
    public void ReadOptionalVarint_AbsentIsZero_OtherTagLeftUnread()
    {
        var reader = new CanonicalProtoReader([0x10, 0x05]);
        Assert.True(reader.ReadOptionalVarint(0x08, ulong.MaxValue, out ulong value));
        Assert.Equal(0ul, value);
        Assert.False(reader.IsAtEnd);
        Assert.True(reader.ReadOptionalVarint(0x10, ulong.MaxValue, out value));
        Assert.Equal(5ul, value);
        Assert.True(reader.IsAtEnd);
    }

    [Theory]
    [InlineData(new byte[] { 0x0A, 0x02, 0xAA, 0xBB }, true)]
    [InlineData(new byte[] { 0x0A, 0x03, 0xAA, 0xBB }, false)]
    [InlineData(new byte[] { 0x0A, 0x00 }, false)]
    [InlineData(new byte[] { 0x0A, 0x82, 0x00, 0xAA, 0xBB }, false)]
    [InlineData(new byte[] { 0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0xAA }, false)]
    [InlineData(new byte[] { 0x12, 0x02, 0xAA, 0xBB }, false)]
    public void ReadBytes_LengthWithinInputAndMinimal(byte[] input, bool valid)
    {
        var reader = new CanonicalProtoReader(input);
        Assert.Equal(valid, reader.ReadBytes(0x0A, out ReadOnlySpan<byte> value));
        if (valid)
        {
            Assert.Equal(new byte[] { 0xAA, 0xBB }, value.ToArray());
            Assert.True(reader.IsAtEnd);
        }
    }

    [Fact]
    public void ReadFixedBytes_WrongLength_Refused()
    {
        var reader = new CanonicalProtoReader([0x0A, 0x02, 0xAA, 0xBB]);
        Assert.False(reader.ReadFixedBytes(0x0A, 3, out _));
    }
}
