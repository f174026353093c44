using System.Globalization;
using System.Text.RegularExpressions;
using E2eChat.Relay;
using E2eChat.Wire;

namespace E2eChat.Tests.Relay;

public sealed class PaddingBucketsTests
{
    [Fact]
    public void IsValidCiphertextLength_EveryLength_ExactlyTheBucketsOfSection6PlusTheTag()
    {
        string section = SpecText.Section("## 6.");
        Match list = Regex.Match(section, @"so the buckets are\s+([\d,\s]+and\s+\d+) bytes");
        Assert.True(list.Success, "section 6 lists the buckets");
        int[] documented = [.. Regex.Matches(list.Groups[1].Value, @"\d+").Select(m => int.Parse(m.Value, CultureInfo.InvariantCulture) + 16)];

        int[] accepted = [.. Enumerable.Range(-1, WireLimits.MaxEnvelopeLength + 3).Where(PaddingBuckets.IsValidCiphertextLength)];

        Assert.Equal(13, documented.Length);
        Assert.Equal(documented, accepted);
        Assert.Equal(TestEnvelopes.CiphertextLengths, accepted);
    }

    [Fact]
    public void IsValidCiphertextLength_PadOfEveryPlaintextLength_IsAccepted()
    {
        // Section 6's rule, written out independently: L = len + 1; 64 if L <= 64; the next power of
        // two if L <= 16384; else L rounded up to a multiple of 16384.
        var buckets = new SortedSet<int>();
        for (int length = 0; length <= 65536; length++)
        {
            int marked = length + 1;
            int bucket = marked <= 64 ? 64
                : marked <= 16384 ? (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)marked)
                : (marked + 16383) / 16384 * 16384;
            buckets.Add(bucket + 16);
        }

        Assert.All(buckets, b => Assert.True(PaddingBuckets.IsValidCiphertextLength(b)));
        Assert.Equal(buckets, TestEnvelopes.CiphertextLengths);
    }
}
