using System.Text.Json.Nodes;
using E2eChat.Cli.Vectors;

namespace E2eChat.Tests.Vectors;

/// <summary>
/// The vectors issue 18's audit added: trust on the initiator side, Bob's step-0 decoding, the
/// 32-bit counter limit and the session record (5.6). Each passes as committed, and a change to
/// what it pins fails.
/// </summary>
public sealed class SpecGapVectorsTests
{
    private static readonly HandshakeVectors s_handshake = new();
    private static readonly RatchetVectors s_ratchet = new();

    [Theory]
    [InlineData("handshake.json", "handshake_bundle_untrusted_identity")]
    [InlineData("handshake.json", "handshake_bundle_invalid_before_untrusted_identity")]
    [InlineData("handshake.json", "handshake_bundle_trusted_identity_kem_prekey_downgraded")]
    [InlineData("handshake.json", "handshake_invalid_decoding_missing_ratchet_message")]
    [InlineData("ratchet.json", "transcript_chain_counter_limit")]
    [InlineData("ratchet.json", "session_record_archived_states")]
    [InlineData("ratchet.json", "session_record_archive_limit")]
    public async Task VerifyAsync_CommittedVector_Passes(string file, string name)
    {
        JsonObject vector = await VectorAsync(file, name);

        await SuiteOf(file).VerifyAsync(vector);
    }

    [Fact]
    public async Task VerifyAsync_UntrustedBundleTrustingBob_Throws()
    {
        // With Bob's own identity trusted, the bundle is accepted and the handshake goes on to draw
        // its base key, which a refused bundle never does.
        JsonObject vector = await VectorAsync("handshake.json", "handshake_bundle_untrusted_identity");
        JsonObject trusting = await VectorAsync("handshake.json", "handshake_bundle_trusted_identity_kem_prekey_downgraded");
        vector["trusted_identity"] = VectorJson.String(trusting, "trusted_identity");

        VectorMismatchException e = await Assert.ThrowsAsync<VectorMismatchException>(async () => await s_handshake.VerifyAsync(vector));
        Assert.Contains("random bytes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyAsync_CounterLimitOneLower_Throws()
    {
        // Both counters one lower: the encryption the vector expects to fail succeeds.
        JsonObject vector = await VectorAsync("ratchet.json", "transcript_chain_counter_limit");
        foreach (JsonObject step in StepsOf(vector).Where(s => VectorJson.String(s, "op") == "set_counter"))
        {
            step["value"] = VectorJson.UInt32(step, "value") - 1;
        }

        await Assert.ThrowsAnyAsync<Exception>(async () => await s_ratchet.VerifyAsync(vector));
    }

    [Fact]
    public async Task VerifyAsync_SessionRecordOrderChanged_Throws()
    {
        JsonObject vector = await VectorAsync("ratchet.json", "session_record_archived_states");
        JsonObject promoted = StepsOf(vector).First(s => VectorJson.String(s, "op") == "decrypt" && VectorJson.String(s, "id") == "s0_a1");
        promoted["record"] = new JsonArray(1, 0);

        VectorMismatchException e = await Assert.ThrowsAsync<VectorMismatchException>(async () => await s_ratchet.VerifyAsync(vector));
        Assert.Contains("record", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyAsync_SessionRecordArchivedStateFailureReported_Throws()
    {
        // s0_a1 fails in the current state (InvalidHeader) and in the archived one (Duplicate): the current state's failure wins.
        JsonObject vector = await VectorAsync("ratchet.json", "session_record_archived_states");
        JsonObject failing = StepsOf(vector).First(s => VectorJson.String(s, "op") == "decrypt_fail" && VectorJson.String(s, "id") == "s0_a1");
        Assert.Equal("InvalidHeader", VectorJson.String(failing, "failure"));
        failing["failure"] = "Duplicate";

        await Assert.ThrowsAsync<VectorMismatchException>(async () => await s_ratchet.VerifyAsync(vector));
    }

    private static IVectorSuite SuiteOf(string file) => file == "handshake.json" ? s_handshake : s_ratchet;

    private static IEnumerable<JsonObject> StepsOf(JsonObject vector) => VectorJson.Array(vector, "steps").OfType<JsonObject>();

    private static async Task<JsonObject> VectorAsync(string file, string name) =>
        (await VectorTestFiles.VectorsAsync(file)).Single(v => VectorJson.String(v, "name") == name);
}
