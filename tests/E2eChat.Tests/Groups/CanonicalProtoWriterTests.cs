using E2eChat.Groups;
using Google.Protobuf;

namespace E2eChat.Tests.Groups;

public sealed class CanonicalProtoWriterTests
{
    [Theory]
    [InlineData(0ul)]
    [InlineData(1ul)]
    [InlineData(127ul)]
    [InlineData(128ul)]
    [InlineData(16383ul)]
    [InlineData(16384ul)]
    [InlineData(uint.MaxValue)]
    [InlineData(ulong.MaxValue)]
    public void VarintLength_MatchesGoogleProtobuf(ulong value)
    {
        Assert.Equal(CodedOutputStream.ComputeUInt64Size(value), CanonicalProtoWriter.VarintLength(value));
        Assert.Equal(value == 0 ? 0 : 1 + CodedOutputStream.ComputeUInt64Size(value), CanonicalProtoWriter.VarintFieldLength(value));
    }

    [Fact]
    public void Write_FieldsRoundTripThroughReader()
    {
        byte[] output = new byte[CanonicalProtoWriter.VarintFieldLength(0) + CanonicalProtoWriter.VarintFieldLength(300) + CanonicalProtoWriter.BytesFieldLength(200) + CanonicalProtoWriter.BytesFieldLength(2)];
        var writer = new CanonicalProtoWriter(output);
        writer.WriteVarintField(0x08, 0);
        writer.WriteVarintField(0x10, 300);
        writer.ReserveBytes(0x1A, 200).Fill(0x55);
        writer.WriteBytes(0x22, [1, 2]);
        Assert.Equal(output.Length, writer.Position);

        var reader = new CanonicalProtoReader(output);
        Assert.True(reader.ReadOptionalVarint(0x08, ulong.MaxValue, out ulong absent));
        Assert.Equal(0ul, absent);
        Assert.True(reader.ReadRequiredVarint(0x10, ulong.MaxValue, out ulong value));
        Assert.Equal(300ul, value);
        Assert.True(reader.ReadFixedBytes(0x1A, 200, out ReadOnlySpan<byte> reserved));
        Assert.All(reserved.ToArray(), b => Assert.Equal(0x55, b));
        Assert.True(reader.ReadFixedBytes(0x22, 2, out ReadOnlySpan<byte> bytes));
        Assert.Equal(new byte[] { 1, 2 }, bytes.ToArray());
        Assert.True(reader.IsAtEnd);
    }
}
