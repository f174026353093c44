using E2eChat.Crypto;

namespace E2eChat.Tests.Crypto;

public sealed class HkdfSha256Tests
{
    // RFC 5869, appendix A.1 (test case 1).
    private static readonly byte[] s_ikm = Convert.FromHexString("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b");
    private static readonly byte[] s_salt = Convert.FromHexString("000102030405060708090a0b0c");
    private static readonly byte[] s_info = Convert.FromHexString("f0f1f2f3f4f5f6f7f8f9");
    private static readonly byte[] s_prk = Convert.FromHexString("077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5");
    private static readonly byte[] s_okm = Convert.FromHexString("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");

    [Fact]
    public void Extract_Rfc5869Case1_GivesPublishedPrk()
    {
        byte[] prk = new byte[HkdfSha256.PrkLength];

        HkdfSha256.Extract(s_salt, s_ikm, prk);

        Assert.Equal(s_prk, prk);
    }

    [Fact]
    public void TryExpand_Rfc5869Case1_GivesPublishedOkm()
    {
        byte[] okm = new byte[42];

        Assert.True(HkdfSha256.TryExpand(s_prk, s_info, okm));

        Assert.Equal(s_okm, okm);
    }

    [Fact]
    public void TryDeriveKey_Rfc5869Case1_GivesPublishedOkm()
    {
        byte[] okm = new byte[42];

        Assert.True(HkdfSha256.TryDeriveKey(s_salt, s_ikm, s_info, okm));

        Assert.Equal(s_okm, okm);
    }

    [Fact]
    public void TryExpand_LongerThanMaximum_ReturnsFalse()
    {
        Assert.True(HkdfSha256.TryExpand(s_prk, s_info, new byte[HkdfSha256.MaxOutputLength]));
        Assert.False(HkdfSha256.TryExpand(s_prk, s_info, new byte[HkdfSha256.MaxOutputLength + 1]));
    }

    [Fact]
    public void TryExpand_EmptyOutput_ReturnsTrue()
    {
        Assert.True(HkdfSha256.TryExpand(s_prk, s_info, []));
    }

    [Fact]
    public void Extract_WrongPrkBufferLength_Throws()
    {
        Assert.Throws<ArgumentException>(() => HkdfSha256.Extract(s_salt, s_ikm, new byte[31]));
    }
}
