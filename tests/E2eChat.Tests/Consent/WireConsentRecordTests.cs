using E2eChat.Wire;
using FsCheck.Xunit;

namespace E2eChat.Tests.Consent;

/// <summary>The consent record codec (PROTOCOL.md section 16.2): round trips, canonical output, hostile bytes.</summary>
public sealed class WireConsentRecordTests
{
    private static readonly byte[] s_key = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];
    private static readonly byte[] s_signature = [.. Enumerable.Range(100, 64).Select(i => (byte)i)];

    [Theory]
    [InlineData(ConsentAction.Grant, ConsentScopes.Utility | ConsentScopes.Marketing, 1_800_000_000_001UL)]
    [InlineData(ConsentAction.Grant, ConsentScopes.All, 0UL)]
    [InlineData(ConsentAction.Revoke, ConsentScopes.None, 0UL)]
    [InlineData(ConsentAction.Block, ConsentScopes.None, 0UL)]
    [InlineData(ConsentAction.Unblock, ConsentScopes.None, 0UL)]
    public void TryRead_WrittenRecord_ReadsBackEveryValue(ConsentAction action, ConsentScopes scopes, ulong expires)
    {
        var record = new ConsentRecord("alice", "acme.shoes", action, scopes, 42, 1_800_000_000_000, expires);
        byte[] encoded = WireConsentRecord.WriteRecord(record);
        byte[] signed = WireConsentRecord.WriteSigned(s_key, encoded, s_signature);

        Assert.True(WireConsentRecord.TryRead(signed, out SignedConsentRecordView view, out ConsentFailure failure));
        Assert.Equal(ConsentFailure.None, failure);
        Assert.Equal(record, view.ToRecord(signed));
        Assert.Equal(s_key, signed[view.AccountKey]);
        Assert.Equal(encoded, signed[view.Record]);
        Assert.Equal(s_signature, signed[view.Signature]);
    }

    [Fact]
    public void SignedBytes_Record_IsLabelZeroRecord()
    {
        byte[] message = WireConsentRecord.SignedBytes([7, 8]);
        Assert.Equal([.. "E2eChat/v1/consent"u8, 0, 7, 8], message);
    }

    [Theory]
    [InlineData("Alice", "acme", "customer")]
    [InlineData("alice", "alice", "business")]
    [InlineData("alice", "", "business")]
    public void Constructor_InvalidNames_Throws(string customer, string business, string parameter)
    {
        ArgumentException e = Assert.Throws<ArgumentException>(() => new ConsentRecord(customer, business, ConsentAction.Block, ConsentScopes.None, 1, 1));
        Assert.Equal(parameter, e.ParamName);
    }

    [Fact]
    public void Constructor_RuleBroken_Throws()
    {
        Assert.Throws<ArgumentException>(() => new ConsentRecord("a", "b", ConsentAction.Grant, ConsentScopes.None, 1, 1));
        Assert.Throws<ArgumentException>(() => new ConsentRecord("a", "b", ConsentAction.Revoke, ConsentScopes.Utility, 1, 1));
        Assert.Throws<ArgumentException>(() => new ConsentRecord("a", "b", ConsentAction.Block, ConsentScopes.None, 0, 1));
        Assert.Throws<ArgumentException>(() => new ConsentRecord("a", "b", ConsentAction.Block, ConsentScopes.None, 1, 0));
        Assert.Throws<ArgumentException>(() => new ConsentRecord("a", "b", ConsentAction.Block, ConsentScopes.None, 1, 1, 5));
        Assert.Throws<ArgumentException>(() => new ConsentRecord("a", "b", ConsentAction.Grant, ConsentScopes.Utility, 1, 5, 5));
        Assert.Throws<ArgumentException>(() => new ConsentRecord("a", "b", (ConsentAction)9, ConsentScopes.None, 1, 1));
    }

    [Fact]
    public void ApplyTo_OtherPair_WrongPairAndUnchanged()
    {
        var record = new ConsentRecord("alice", "acme", ConsentAction.Block, ConsentScopes.None, 1, 1);
        Assert.Equal(ConsentFailure.WrongPair, record.ApplyTo("alice", "other", default, out ConsentState next));
        Assert.Equal(default, next);
        Assert.Equal(ConsentFailure.None, record.ApplyTo("alice", "acme", default, out next));
        Assert.True(next.IsBlocked);
        Assert.Equal(ConsentFailure.StaleSerial, record.ApplyTo("alice", "acme", next, out ConsentState again));
        Assert.Equal(next, again);
    }

    [Property(MaxTest = 300)]
    public void TryRead_RandomEdits_NeverThrowsAndValidMeansCanonical(byte[] edits, bool grant)
    {
        edits ??= [];
        var record = grant
            ? new ConsentRecord("alice", "acme.shoes", ConsentAction.Grant, ConsentScopes.Utility, 3, 1_800_000_000_000, 1_900_000_000_000)
            : new ConsentRecord("alice", "acme.shoes", ConsentAction.Block, ConsentScopes.None, 3, 1_800_000_000_000);
        var bytes = new List<byte>(WireConsentRecord.WriteSigned(s_key, WireConsentRecord.WriteRecord(record), s_signature));
        for (int i = 0; i + 2 < edits.Length; i += 3)
        {
            int at = edits[i + 1] * bytes.Count / 256;
            switch (edits[i] % 3)
            {
                case 0 when bytes.Count > 0: bytes[at] ^= (byte)(edits[i + 2] | 1); break;
                case 1: bytes.Insert(at, edits[i + 2]); break;
                default: if (bytes.Count > 0) { bytes.RemoveAt(at); } break;
            }
        }

        byte[] input = [.. bytes];
        if (WireConsentRecord.TryRead(input, out SignedConsentRecordView view, out ConsentFailure failure))
        {
            // Only the canonical encoding of its values is accepted: writing them again gives the same bytes.
            ConsentRecord read = view.ToRecord(input);
            byte[] again = WireConsentRecord.WriteSigned(input[view.AccountKey], WireConsentRecord.WriteRecord(read), input[view.Signature]);
            Assert.Equal(input, again);
            Assert.Equal(input[view.Record], WireConsentRecord.WriteRecord(read));
        }
        else
        {
            Assert.NotEqual(ConsentFailure.None, failure);
            Assert.True(failure < ConsentFailure.BadSignature, failure.ToString());
        }
    }
}
