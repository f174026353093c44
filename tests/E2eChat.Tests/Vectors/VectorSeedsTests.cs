using System.Security.Cryptography;
using System.Text;
using E2eChat.Cli.Vectors;
using E2eChat.Crypto;

namespace E2eChat.Tests.Vectors;

public sealed class VectorSeedsTests
{
    [Fact]
    public void Seed_FileAndName_IsSha256OfTheDocumentedLabel()
    {
        byte[] expected = SHA256.HashData(Encoding.ASCII.GetBytes("E2eChat/v1/test-vectors/kdf.json/kdf_rk_random_1"));

        Assert.Equal(expected, VectorSeeds.Seed("kdf.json", "kdf_rk_random_1"));
    }

    [Fact]
    public void For_Vector_IsTheDeterministicStreamOfItsSeed()
    {
        using DeterministicRandomSource fromSeeds = VectorSeeds.For("keys.json", "identity_1");
        using var direct = new DeterministicRandomSource(VectorSeeds.Seed("keys.json", "identity_1"));

        Assert.Equal(direct.Draw(64), fromSeeds.Draw(64));
    }

    [Fact]
    public void Seed_DifferentVectors_Differ()
    {
        Assert.NotEqual(VectorSeeds.Seed("kdf.json", "a"), VectorSeeds.Seed("kdf.json", "b"));
        Assert.NotEqual(VectorSeeds.Seed("kdf.json", "a"), VectorSeeds.Seed("keys.json", "a"));
    }
}
