using E2eChat.Wire;

namespace E2eChat.Tests.Wire;

public sealed class ProtoReaderTests
{
    private static readonly EnvelopeFailure[] s_oneRequiredVarint = [EnvelopeFailure.None, EnvelopeFailure.MissingVersion];

    [Theory]
    [InlineData(new byte[] { 0x08, 0x01 }, EnvelopeFailure.None, 1ul)]
    [InlineData(new byte[] { 0x08, 0x7F }, EnvelopeFailure.None, 127ul)]
    [InlineData(new byte[] { 0x08, 0x80, 0x01 }, EnvelopeFailure.None, 128ul)]
    [InlineData(new byte[] { 0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01 }, EnvelopeFailure.None, ulong.MaxValue)]
    [InlineData(new byte[] { 0x08, 0x00 }, EnvelopeFailure.DefaultValueWritten, 0ul)]
    [InlineData(new byte[] { 0x08, 0x81, 0x00 }, EnvelopeFailure.MalformedVarint, 0ul)]
    [InlineData(new byte[] { 0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02 }, EnvelopeFailure.MalformedVarint, 0ul)]
    [InlineData(new byte[] { 0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x81, 0x00 }, EnvelopeFailure.MalformedVarint, 0ul)]
    [InlineData(new byte[] { 0x08, 0x80 }, EnvelopeFailure.Truncated, 0ul)]
    [InlineData(new byte[] { 0x08 }, EnvelopeFailure.Truncated, 0ul)]
    public void ReadUInt64_MinimalNonzeroOnly(byte[] input, EnvelopeFailure expected, ulong expectedValue)
    {
        var reader = new ProtoReader(input, 0, input.Length);
        Assert.Equal(EnvelopeFailure.None, reader.ReadField(s_oneRequiredVarint, 0, out int field));
        Assert.Equal(1, field);

        EnvelopeFailure failure = reader.ReadUInt64(out ulong value);

        Assert.Equal(expected, failure);
        if (expected == EnvelopeFailure.None)
        {
            Assert.Equal(expectedValue, value);
            Assert.True(reader.IsAtEnd);
        }
    }

    [Fact]
    public void ReadUInt32_AboveMaximum_Refused()
    {
        byte[] over = [0x08, 0x80, 0x80, 0x80, 0x80, 0x10];
        var reader = new ProtoReader(over, 0, over.Length);
        Assert.Equal(EnvelopeFailure.None, reader.ReadField(s_oneRequiredVarint, 0, out _));
        Assert.Equal(EnvelopeFailure.MalformedVarint, reader.ReadUInt32(out _));

        byte[] max = [0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F];
        reader = new ProtoReader(max, 0, max.Length);
        Assert.Equal(EnvelopeFailure.None, reader.ReadField(s_oneRequiredVarint, 0, out _));
        Assert.Equal(EnvelopeFailure.None, reader.ReadUInt32(out uint value));
        Assert.Equal(uint.MaxValue, value);
    }

    [Fact]
    public void ReadField_SkippedRequiredField_ReportsItsFailure()
    {
        EnvelopeFailure[] required = [EnvelopeFailure.None, EnvelopeFailure.MissingVersion, EnvelopeFailure.None];
        byte[] input = [0x10, 0x05];
        var reader = new ProtoReader(input, 0, input.Length);

        Assert.Equal(EnvelopeFailure.MissingVersion, reader.ReadField(required, 0, out _));
    }

    [Theory]
    [InlineData(new byte[] { 0x0A, 0x02, 0xAA, 0xBB }, EnvelopeFailure.None)]
    [InlineData(new byte[] { 0x0A, 0x03, 0xAA, 0xBB }, EnvelopeFailure.Truncated)]
    [InlineData(new byte[] { 0x0A, 0x00 }, EnvelopeFailure.DefaultValueWritten)]
    [InlineData(new byte[] { 0x0A, 0x82, 0x00, 0xAA, 0xBB }, EnvelopeFailure.MalformedVarint)]
    [InlineData(new byte[] { 0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0xAA }, EnvelopeFailure.Truncated)]
    public void ReadBytes_LengthWithinInputAndMinimal(byte[] input, EnvelopeFailure expected)
    {
        EnvelopeFailure[] optionalBytes = [EnvelopeFailure.None, EnvelopeFailure.None];
        var reader = new ProtoReader(input, 0, input.Length);
        Assert.Equal(EnvelopeFailure.None, reader.ReadField(optionalBytes, 1u << 1, out _));

        EnvelopeFailure failure = reader.ReadBytes(out int start, out int length);

        Assert.Equal(expected, failure);
        if (expected == EnvelopeFailure.None)
        {
            Assert.Equal(new byte[] { 0xAA, 0xBB }, input.AsSpan(start, length).ToArray());
            Assert.True(reader.IsAtEnd);
        }
    }

    [Fact]
    public void ReadField_WrongWireType_Refused()
    {
        byte[] input = [0x12, 0x02, 0xAA, 0xBB];
        var reader = new ProtoReader(input, 0, input.Length);

        Assert.Equal(EnvelopeFailure.WrongWireType, reader.ReadField([EnvelopeFailure.None, EnvelopeFailure.None, EnvelopeFailure.None], 0, out _));
    }

    [Fact]
    public void ReadField_RepeatedField_MayFollowItself()
    {
        // Field 1 (varint) twice, then field 2 (bytes) once.
        byte[] input = [0x08, 0x01, 0x08, 0x02, 0x12, 0x01, 0xAA];
        var reader = new ProtoReader(input, 0, input.Length);

        Assert.Equal(EnvelopeFailure.None, reader.ReadField(3, 1u << 2, 1u << 1, out int field));
        Assert.Equal(1, field);
        Assert.Equal(EnvelopeFailure.None, reader.ReadUInt64(out _));
        Assert.Equal(EnvelopeFailure.None, reader.ReadField(3, 1u << 2, 1u << 1, out field));
        Assert.Equal(1, field);
        Assert.Equal(EnvelopeFailure.None, reader.ReadUInt64(out _));
        Assert.Equal(EnvelopeFailure.None, reader.ReadField(3, 1u << 2, 1u << 1, out field));
        Assert.Equal(2, field);
        Assert.Equal(2, reader.LastField);
    }

    [Fact]
    public void ReadField_NotRepeated_SecondOccurrenceIsDuplicate()
    {
        byte[] input = [0x08, 0x01, 0x08, 0x02];
        var reader = new ProtoReader(input, 0, input.Length);

        Assert.Equal(EnvelopeFailure.None, reader.ReadField(2, 0, 0, out _));
        Assert.Equal(EnvelopeFailure.None, reader.ReadUInt64(out _));
        Assert.Equal(EnvelopeFailure.DuplicateField, reader.ReadField(2, 0, 0, out int field));
        Assert.Equal(0, field);
    }

    [Fact]
    public void ReadTag_SplitsNumberAndWireType_WithoutSchema()
    {
        byte[] input = [0xFA, 0x01];
        var reader = new ProtoReader(input, 0, input.Length);

        Assert.Equal(EnvelopeFailure.None, reader.ReadTag(out int number, out int wireType));
        Assert.Equal(31, number);
        Assert.Equal(2, wireType);
    }
}
