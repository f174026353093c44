
namespace E2eChat.Tests.Storage;

public sealed class StoredRecordFrameTests
{
    private const byte Body = 0x12;

    [Theory]
    [InlineData(new byte[0], E2eChatFailure.Truncated)]
    [InlineData(new byte[] { 0x08 }, E2eChatFailure.Truncated)]
    [InlineData(new byte[] { 0x08, 0x01 }, E2eChatFailure.Truncated)]
    [InlineData(new byte[] { 0x08, 0x01, 0x12 }, E2eChatFailure.Truncated)]
    [InlineData(new byte[] { 0x08, 0x01, 0x12, 0x03, 0xAA }, E2eChatFailure.Truncated)]
    [InlineData(new byte[] { 0x08, 0x01, 0x12, 0x01, 0xAA, 0xBB }, E2eChatFailure.Corrupt)]
    [InlineData(new byte[] { 0x12, 0x01, 0xAA }, E2eChatFailure.Corrupt)]
    [InlineData(new byte[] { 0x08, 0x01, 0x1A, 0x01, 0xAA }, E2eChatFailure.Corrupt)]
    [InlineData(new byte[] { 0x08, 0x00, 0x12, 0x01, 0xAA }, E2eChatFailure.OldVersion)]
    [InlineData(new byte[] { 0x08, 0x02, 0x12, 0x01, 0xAA }, E2eChatFailure.UnknownVersion)]
    [InlineData(new byte[] { 0x08, 0x80, 0x80, 0x80, 0x80, 0x10, 0x12, 0x01, 0xAA }, E2eChatFailure.Corrupt)]
    [InlineData(new byte[] { 0x08, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01 }, E2eChatFailure.Corrupt)]
    [InlineData(new byte[] { 0x08, 0x01, 0x12, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01 }, E2eChatFailure.Truncated)]
    public void Read_BrokenFrames_TypedFailure(byte[] input, E2eChatFailure expected)
    {
        Assert.Equal(expected, StoredRecordFrame.Read(input, Body, out _, out _));
    }

    [Fact]
    public void Read_ValidFrame_LocatesBody()
    {
        Assert.Equal(E2eChatFailure.None, StoredRecordFrame.Read([0x08, 0x01, 0x12, 0x02, 0xAA, 0xBB], Body, out int offset, out int length));
        Assert.Equal(4, offset);
        Assert.Equal(2, length);
    }
}
