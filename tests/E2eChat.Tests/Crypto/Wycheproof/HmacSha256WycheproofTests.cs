using E2eChat.Crypto;

namespace E2eChat.Tests.Crypto.Wycheproof;

/// <summary>
/// <see cref="HmacSha256"/> against Wycheproof's <c>hmac_sha256_test.json</c>: the groups with
/// 256-bit keys (the only key length the wrapper takes), full tags through <see cref="HmacSha256.Compute"/>
/// and <see cref="HmacSha256.Verify"/>, 128-bit tags through <see cref="HmacSha256.Verify"/> with a
/// truncated tag.
/// </summary>
public sealed class HmacSha256WycheproofTests
{
    private const string FileName = "hmac_sha256_test.json";

    /// <summary>81 cases with 256-bit tags and 81 with 128-bit tags, all with 256-bit keys.</summary>
    private const int ExpectedCases = 162;

    [Fact]
    public void ComputeAndVerify_WycheproofVectorsWith256BitKeys_MatchOrReject()
    {
        using WycheproofFile file = WycheproofFile.Load(FileName);
        var tally = new WycheproofTally(FileName);
        foreach (WycheproofCase testCase in file.Cases.Where(c => c.GroupInt("keySize") == 256))
        {
            tally.Run(testCase, c =>
            {
                int tagSize = c.GroupInt("tagSize");
                if (tagSize is not (256 or 128))
                {
                    return $"unexpected tag size {tagSize}";
                }

                byte[] key = c.Hex("key");
                byte[] message = c.Hex("msg");
                byte[] tag = c.Hex("tag");
                bool verified = HmacSha256.Verify(key, message, tag);
                if (verified != c.IsValid)
                {
                    return $"Verify returned {verified}";
                }

                if (!c.IsValid)
                {
                    return null;
                }

                byte[] computed = new byte[HmacSha256.TagLength];
                HmacSha256.Compute(key, message, computed);
                return computed.AsSpan(0, tag.Length).SequenceEqual(tag) ? null : $"Compute gave {Convert.ToHexString(computed)}";
            });
        }

        tally.AssertAllPassed(ExpectedCases);
    }
}
