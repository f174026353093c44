using E2eChat.Wire;
using Google.Protobuf;

namespace E2eChat.Tests.Wire;

public sealed class ProtoWriterTests
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
        Assert.Equal(CodedOutputStream.ComputeUInt64Size(value), ProtoWriter.VarintLength(value));
        Assert.Equal(value == 0 ? 0 : 1 + CodedOutputStream.ComputeUInt64Size(value), ProtoWriter.VarintFieldLength(1, value));
        Assert.Equal(value == 0 ? 0 : 2 + CodedOutputStream.ComputeUInt64Size(value), ProtoWriter.VarintFieldLength(16, value));
    }

    [Fact]
    public void Write_FieldsRoundTripThroughReader()
    {
        byte[] output = new byte[ProtoWriter.VarintFieldLength(1, 0) + ProtoWriter.VarintFieldLength(2, 300) + ProtoWriter.BytesFieldLength(3, 200) + ProtoWriter.BytesFieldLength(4, 2)];
        var writer = new ProtoWriter(output);
        writer.WriteVarintField(1, 0);
        writer.WriteVarintField(2, 300);
        writer.ReserveBytesField(3, 200).Fill(0x55);
        writer.WriteBytesField(4, [1, 2]);
        Assert.Equal(output.Length, writer.Position);

        EnvelopeFailure[] optional = new EnvelopeFailure[5];
        var reader = new ProtoReader(output, 0, output.Length);
        Assert.Equal(EnvelopeFailure.None, reader.ReadField(optional, (1u << 3) | (1u << 4), out int field));
        Assert.Equal(2, field);
        Assert.Equal(EnvelopeFailure.None, reader.ReadUInt32(out uint value));
        Assert.Equal(300u, value);
        Assert.Equal(EnvelopeFailure.None, reader.ReadField(optional, (1u << 3) | (1u << 4), out field));
        Assert.Equal(3, field);
        Assert.Equal(EnvelopeFailure.None, reader.ReadBytes(out int start, out int length));
        Assert.All(output.AsSpan(start, length).ToArray(), b => Assert.Equal(0x55, b));
        Assert.Equal(EnvelopeFailure.None, reader.ReadField(optional, (1u << 3) | (1u << 4), out field));
        Assert.Equal(4, field);
        Assert.Equal(EnvelopeFailure.None, reader.ReadBytes(out start, out length));
        Assert.Equal(new byte[] { 1, 2 }, output.AsSpan(start, length).ToArray());
        Assert.True(reader.IsAtEnd);
    }
}
