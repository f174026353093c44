using System.Text.Json.Nodes;
using E2eChat.Cli.Vectors;

namespace E2eChat.Tests.Vectors;

public sealed class SenderKeyVectorsTests
{
    private const string File = "sender_keys.json";

    private static readonly SenderKeyVectors s_suite = new();

    /// <summary>Every failure decrypting a sender-key post can report (PROTOCOL.md section 7).</summary>
    private static readonly E2eChatFailure[] s_senderKeyFailures =
    [
        E2eChatFailure.Malformed, E2eChatFailure.UnknownSenderKey, E2eChatFailure.BadSignature, E2eChatFailure.Expired,
        E2eChatFailure.TooBigGap, E2eChatFailure.Duplicate, E2eChatFailure.InvalidCiphertext, E2eChatFailure.InvalidPadding,
    ];

    [Fact]
    public async Task GenerateAsync_InvalidVectors_CoverEverySenderKeyFailure()
    {
        IReadOnlyList<JsonObject> vectors = await s_suite.GenerateAsync();

        HashSet<string> failures = [.. vectors.Where(v => VectorJson.String(v, "kind") == "sender_key_invalid").Select(v => VectorJson.String(v, "failure"))];
        Assert.Equal(
            s_senderKeyFailures.Select(f => f.ToString()).Order(StringComparer.Ordinal),
            failures.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task GenerateAsync_Transcripts_CoverEveryStepOp()
    {
        IReadOnlyList<JsonObject> vectors = await s_suite.GenerateAsync();

        HashSet<string> ops = [.. vectors
            .Where(v => VectorJson.String(v, "kind") == "sender_key_transcript")
            .SelectMany(v => VectorJson.Array(v, "steps").OfType<JsonObject>())
            .Select(s => VectorJson.String(s, "op"))];
        Assert.Equal(["decrypt", "distribute", "encrypt", "encrypt_fail", "rotate"], ops.Order(StringComparer.Ordinal));
        Assert.Contains(vectors, v => v.ContainsKey("random"));
        Assert.Contains(vectors, v => VectorJson.String(v, "kind") == "sender_key_transcript" && !v.ContainsKey("random"));
    }

    [Fact]
    public async Task VerifyAsync_TranscriptWithChangedCreationRandom_Throws()
    {
        JsonObject vector = await TranscriptAsync("sender_key_transcript_in_order");
        VectorTestFiles.ChangeOneByte((vector, "random"));

        await Assert.ThrowsAsync<VectorMismatchException>(async () => await s_suite.VerifyAsync(vector));
    }

    [Fact]
    public async Task VerifyAsync_TranscriptWithChangedRotationRandom_Throws()
    {
        JsonObject vector = await TranscriptAsync("sender_key_transcript_rotation");
        JsonObject rotate = Steps(vector).First(s => VectorJson.String(s, "op") == "rotate");
        VectorTestFiles.ChangeOneByte((rotate, "random"));

        await Assert.ThrowsAsync<VectorMismatchException>(async () => await s_suite.VerifyAsync(vector));
    }

    [Fact]
    public async Task VerifyAsync_TranscriptWithRotationRandomOneByteShort_Throws()
    {
        JsonObject vector = await TranscriptAsync("sender_key_transcript_rotation");
        JsonObject rotate = Steps(vector).First(s => VectorJson.String(s, "op") == "rotate");
        rotate["random"] = VectorJson.String(rotate, "random")[..^2];

        await Assert.ThrowsAsync<VectorMismatchException>(async () => await s_suite.VerifyAsync(vector));
    }

    [Fact]
    public async Task VerifyAsync_TranscriptWithChangedDistribution_Throws()
    {
        JsonObject vector = await TranscriptAsync("sender_key_transcript_late_join");
        JsonObject distribute = Steps(vector).First(s => VectorJson.String(s, "op") == "distribute");
        VectorTestFiles.ChangeOneByte((distribute, "distribution"));

        await Assert.ThrowsAsync<VectorMismatchException>(async () => await s_suite.VerifyAsync(vector));
    }

    [Fact]
    public async Task VerifyAsync_LoadedTranscriptWithChangedChainKey_Throws()
    {
        JsonObject vector = await TranscriptAsync("sender_key_transcript_last_iterations");
        Assert.False(vector.ContainsKey("random"));
        VectorTestFiles.ChangeOneByte((vector, "chain_key"));

        await Assert.ThrowsAsync<VectorMismatchException>(async () => await s_suite.VerifyAsync(vector));
    }

    [Fact]
    public async Task VerifyAsync_TranscriptWithChangedDecryptedPlaintext_Throws()
    {
        JsonObject vector = await TranscriptAsync("sender_key_transcript_out_of_order");
        JsonObject decrypt = Steps(vector).First(s => VectorJson.String(s, "op") == "decrypt" && VectorJson.String(s, "plaintext").Length > 0);
        VectorTestFiles.ChangeOneByte((decrypt, "plaintext"));

        await Assert.ThrowsAsync<VectorMismatchException>(async () => await s_suite.VerifyAsync(vector));
    }

    [Fact]
    public async Task VerifyAsync_TranscriptDecryptingAnUnknownId_ThrowsFormatException()
    {
        JsonObject vector = await TranscriptAsync("sender_key_transcript_in_order");
        Steps(vector).Last(s => VectorJson.String(s, "op") == "decrypt")["id"] = "no-such-post";

        await Assert.ThrowsAsync<VectorFormatException>(async () => await s_suite.VerifyAsync(vector));
    }

    [Fact]
    public async Task VerifyAsync_InvalidVectorWhoseDeliveredPostIsRefused_Throws()
    {
        JsonObject vector = (await VectorTestFiles.VectorsAsync(File)).First(v => VectorJson.String(v, "name") == "sender_key_invalid_duplicate_replay");
        JsonObject deliver = VectorJson.Array(vector, "receiver").OfType<JsonObject>().First(s => VectorJson.String(s, "op") == "deliver");
        VectorTestFiles.ChangeOneByte((deliver, "message"));

        await Assert.ThrowsAsync<VectorMismatchException>(async () => await s_suite.VerifyAsync(vector));
    }

    [Fact]
    public async Task VerifyAsync_InvalidVectorWithoutItsHistory_Throws()
    {
        // Without the delivery, the replayed post decrypts: the vector's Duplicate no longer holds.
        JsonObject vector = (await VectorTestFiles.VectorsAsync(File)).First(v => VectorJson.String(v, "name") == "sender_key_invalid_duplicate_replay");
        JsonArray receiver = VectorJson.Array(vector, "receiver");
        receiver.RemoveAt(receiver.Count - 1);

        await Assert.ThrowsAsync<VectorMismatchException>(async () => await s_suite.VerifyAsync(vector));
    }

    [Fact]
    public async Task VerifyAsync_InvalidVectorWithUnknownReceiverOp_ThrowsFormatException()
    {
        JsonObject vector = (await VectorTestFiles.VectorsAsync(File)).First(v => VectorJson.String(v, "kind") == "sender_key_invalid");
        VectorJson.Array(vector, "receiver").Add(new JsonObject { ["op"] = "forget" });

        await Assert.ThrowsAsync<VectorFormatException>(async () => await s_suite.VerifyAsync(vector));
    }

    private static async Task<JsonObject> TranscriptAsync(string name) =>
        (await VectorTestFiles.VectorsAsync(File)).First(v => VectorJson.String(v, "name") == name);

    private static IEnumerable<JsonObject> Steps(JsonObject vector) => VectorJson.Array(vector, "steps").OfType<JsonObject>();
}
