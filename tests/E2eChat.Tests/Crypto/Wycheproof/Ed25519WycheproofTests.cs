using E2eChat.Crypto;

namespace E2eChat.Tests.Crypto.Wycheproof;

/// <summary><see cref="Ed25519.VerifyRaw"/> against Wycheproof's <c>ed25519_test.json</c>.</summary>
public sealed class Ed25519WycheproofTests
{
    private const string FileName = "ed25519_test.json";
    private const int ExpectedCases = 151;

    [Fact]
    public void VerifyRaw_WycheproofVectors_AcceptValidAndRejectInvalid()
    {
        using WycheproofFile file = WycheproofFile.Load(FileName);
        var tally = new WycheproofTally(FileName);
        foreach (WycheproofCase testCase in file.Cases)
        {
            tally.Run(testCase, c =>
            {
                byte[] publicKey = Convert.FromHexString(c.Group.GetProperty("publicKey").GetProperty("pk").GetString() ?? string.Empty);
                bool verified = Ed25519.VerifyRaw(publicKey, c.Hex("msg"), c.Hex("sig"));
                return verified == c.IsValid ? null : $"verified = {verified}";
            });
        }

        tally.AssertAllPassed(ExpectedCases);
        Assert.Equal(file.DeclaredNumberOfTests, tally.Count);
    }
}
