using E2eChat.Relay;
using E2eChat.Wire;

namespace E2eChat.Tests.Relay;

public sealed class AddressValidatorTests
{
    [Fact]
    public void IsValidName_EverySingleByte_AgreesWithTheClientLibrary()
    {
        for (int b = 0; b < 256; b++)
        {
            byte[] name = [(byte)b];
            string asString = new((char)b, 1);

            Assert.Equal(ProtocolAddress.IsValidName(asString), WireAddress.IsValidName(name));
        }
    }

    [Theory]
    [InlineData("", false)]
    [InlineData("a", true)]
    [InlineData("0", true)]
    [InlineData("a.b_c-d", true)]
    [InlineData("A", false)]
    [InlineData("a b", false)]
    [InlineData("a/b", false)]
    [InlineData("a@b", false)]
    public void IsValidName_Samples_AgreeWithTheClientLibrary(string name, bool valid)
    {
        Assert.Equal(valid, WireAddress.IsValidName(System.Text.Encoding.Latin1.GetBytes(name)));
        Assert.Equal(valid, ProtocolAddress.IsValidName(name));
    }

    [Theory]
    [InlineData(1, true)]
    [InlineData(64, true)]
    [InlineData(65, false)]
    [InlineData(1000, false)]
    public void IsValidName_Length_IsOneTo64(int length, bool valid)
    {
        byte[] name = new byte[length];
        Array.Fill(name, (byte)'z');

        Assert.Equal(valid, WireAddress.IsValidName(name));
        Assert.Equal(valid, ProtocolAddress.IsValidName(new string('z', length)));
    }
}
