using E2eChat.Ratchet;

namespace E2eChat.Tests.Ratchet;

public sealed class RatchetHeaderTests
{
    [Fact]
    public void Write_Fields_AreKeyThenBigEndianCounters()
    {
        byte[] key = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
        byte[] header = new byte[RatchetHeader.Length];
        RatchetHeader.Write(key, 0x01020304, 0xA0B0C0D0, header);
        Assert.Equal(40, header.Length);
        Assert.Equal(key, header[..32]);
        Assert.Equal(new byte[] { 0x01, 0x02, 0x03, 0x04, 0xA0, 0xB0, 0xC0, 0xD0 }, header[32..]);
    }

    [Fact]
    public void Read_WrittenHeader_GivesFieldsBack()
    {
        byte[] key = new byte[32];
        key[0] = 9;
        byte[] header = new byte[RatchetHeader.Length];
        RatchetHeader.Write(key, 7, uint.MaxValue, header);
        var decoded = new RatchetHeader(header);
        Assert.Equal(key, decoded.RatchetKey.ToArray());
        Assert.Equal(7u, decoded.PreviousChainLength);
        Assert.Equal(uint.MaxValue, decoded.MessageNumber);
    }

    [Fact]
    public void Constructor_WrongLength_Throws()
    {
        Assert.Throws<ArgumentException>(() => new RatchetHeader(new byte[39]));
        Assert.Throws<ArgumentException>(() => RatchetHeader.Write(new byte[31], 0, 0, new byte[40]));
        Assert.Throws<ArgumentException>(() => RatchetHeader.Write(new byte[32], 0, 0, new byte[41]));
    }
}
