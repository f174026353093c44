using System.Text.Json.Nodes;
using E2eChat.Cli.Vectors;
using E2eChat.Tests.Vectors;
using E2eChat.Wire;

namespace E2eChat.Tests.Consent;

/// <summary>All eight steps of PROTOCOL.md 16.2 in C# (the JS verifier checks the same vectors from the spec).</summary>
public sealed class ConsentVerifierTests : IDisposable
{
    private readonly AccountKeyPair _alice = AccountKeyPair.Generate();
    private readonly AccountKeyPair _mallory = AccountKeyPair.Generate();

    public void Dispose()
    {
        _alice.Dispose();
        _mallory.Dispose();
    }

    [Fact]
    public async Task Verify_ConsentRecordsVectors_EveryFailureAndEveryValidRecordAsSpecified()
    {
        int valid = 0, invalid = 0;
        foreach (JsonObject vector in await VectorTestFiles.VectorsAsync("consent-records.json"))
        {
            byte[] signed = VectorJson.Bytes(vector, "signed_record");
            if (VectorJson.String(vector, "kind") == "consent_record")
            {
                AccountKey key = AccountKey.FromBytes(VectorJson.Bytes(vector, "account_key"));
                E2eChatFailure ok = ConsentVerifier.Verify(signed, key, VectorJson.String(vector, "customer"), VectorJson.String(vector, "business"), default, out ConsentRecord? record, out ConsentState next);
                Assert.Equal(E2eChatFailure.None, ok);
                Assert.Equal(U64(vector, "serial"), record!.Serial);
                Assert.Equal(record.Serial, next.Serial);
                valid++;
                continue;
            }

            byte[] known = VectorJson.Bytes(vector, "customer_account_key");
            ulong serial = U64(vector, "state_serial");
            var state = new ConsentState(serial, serial == 0 ? ConsentAction.Unspecified : ConsentAction.Revoke, false, ConsentScopes.None, 0, 0);
            E2eChatFailure failure = ConsentVerifier.Verify(signed, known.Length == 0 ? null : AccountKey.FromBytes(known), VectorJson.String(vector, "pair_customer"), VectorJson.String(vector, "pair_business"), state, out _, out ConsentState unchanged);
            Assert.Equal(VectorJson.String(vector, "failure"), failure.ToString());
            Assert.Equal(state, unchanged);
            invalid++;
        }

        Assert.True(valid >= 6 && invalid >= 50, $"{valid} valid, {invalid} invalid");
    }

    [Fact]
    public void Verify_EachLaterStep_ItsOwnFailureAndNothingChanges()
    {
        byte[] grant = Sign(_alice, new ConsentRecord("alice", "acme.shoes", ConsentAction.Grant, ConsentScopes.Utility, 3, 1_800_000_000_000));
        Assert.Equal(E2eChatFailure.None, ConsentVerifier.Verify(grant, _alice.PublicKey, "alice", "acme.shoes", default, out _, out ConsentState applied));
        Assert.Equal(ConsentScopes.Utility, applied.Scopes);

        byte[] tampered = (byte[])grant.Clone();
        tampered[^1] ^= 1;
        Assert.Equal(E2eChatFailure.BadSignature, ConsentVerifier.Verify(tampered, _alice.PublicKey, "alice", "acme.shoes", default, out _, out _));
        Assert.Equal(E2eChatFailure.UnknownAccountKey, ConsentVerifier.Verify(grant, null, "alice", "acme.shoes", default, out _, out _));
        Assert.Equal(E2eChatFailure.WrongSigner, ConsentVerifier.Verify(Sign(_mallory, new ConsentRecord("alice", "acme.shoes", ConsentAction.Block, ConsentScopes.None, 4, 1)), _alice.PublicKey, "alice", "acme.shoes", default, out _, out _));
        Assert.Equal(E2eChatFailure.WrongPair, ConsentVerifier.Verify(grant, _alice.PublicKey, "alice", "other.shop", default, out _, out ConsentState same));
        Assert.Equal(default, same);
        Assert.Equal(E2eChatFailure.StaleSerial, ConsentVerifier.Verify(grant, _alice.PublicKey, "alice", "acme.shoes", applied, out _, out ConsentState again));
        Assert.Equal(applied, again);
        Assert.Equal(E2eChatFailure.Truncated, ConsentVerifier.Verify(grant.AsSpan(0, grant.Length - 1), _alice.PublicKey, "alice", "acme.shoes", default, out ConsentRecord? none, out _));
        Assert.Null(none);
    }

    /// <summary>A u64 of the file: a JSON number below 2^53, else a decimal string (tests/vectors/FORMAT.md).</summary>
    private static ulong U64(JsonObject vector, string field) =>
        vector[field] is JsonValue value && value.TryGetValue(out string? text) ? ulong.Parse(text, System.Globalization.CultureInfo.InvariantCulture) : VectorJson.UInt64(vector, field);

    private static byte[] Sign(AccountKeyPair key, ConsentRecord record)
    {
        byte[] encoded = WireConsentRecord.WriteRecord(record);
        return WireConsentRecord.WriteSigned(key.PublicKey.AsSpan(), encoded, key.Sign(WireConsentRecord.Label, encoded));
    }
}
