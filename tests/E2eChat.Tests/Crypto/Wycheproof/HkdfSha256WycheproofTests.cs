using E2eChat.Crypto;

namespace E2eChat.Tests.Crypto.Wycheproof;

/// <summary><see cref="HkdfSha256"/> against Wycheproof's <c>hkdf_sha256_test.json</c>.</summary>
public sealed class HkdfSha256WycheproofTests
{
    private const string FileName = "hkdf_sha256_test.json";
    private const int ExpectedCases = 86;

    [Fact]
    public void TryDeriveKey_WycheproofVectors_MatchOrRefuseTooLongOutput()
    {
        using WycheproofFile file = WycheproofFile.Load(FileName);
        var tally = new WycheproofTally(FileName);
        foreach (WycheproofCase testCase in file.Cases)
        {
            tally.Run(testCase, c =>
            {
                byte[] salt = c.Hex("salt");
                byte[] ikm = c.Hex("ikm");
                byte[] info = c.Hex("info");
                byte[] output = new byte[c.Int("size")];
                bool derived = HkdfSha256.TryDeriveKey(salt, ikm, info, output);
                if (!c.IsValid)
                {
                    return derived ? "derived an over-long output" : null;
                }

                if (!derived)
                {
                    return "refused a valid size";
                }

                byte[] expected = c.Hex("okm");
                if (!output.AsSpan().SequenceEqual(expected))
                {
                    return $"one-shot output {Convert.ToHexString(output)}, expected {Convert.ToHexString(expected)}";
                }

                // The two-step form must agree with the one-shot form.
                byte[] prk = new byte[HkdfSha256.PrkLength];
                byte[] stepwise = new byte[output.Length];
                HkdfSha256.Extract(salt, ikm, prk);
                return HkdfSha256.TryExpand(prk, info, stepwise) && stepwise.AsSpan().SequenceEqual(expected)
                    ? null
                    : "Extract + TryExpand disagree with the vector";
            });
        }

        tally.AssertAllPassed(ExpectedCases);
        Assert.Equal(83, tally.ValidCount);
        Assert.Equal(3, tally.InvalidCount);
    }
}
