using System.Text.Json.Nodes;
using E2eChat.Cli.Vectors;

namespace E2eChat.Tests.Vectors;

/// <summary>
/// <c>sender_key_transcript_plaintext_too_long</c>: the committed vector passes, and it pins both
/// the failure's name and the length that triggers it.
/// </summary>
public sealed class SenderKeyPlaintextLimitTests
{
    private const string Name = "sender_key_transcript_plaintext_too_long";
    private static readonly SenderKeyVectors s_suite = new();

    [Fact]
    public async Task TranscriptAsync_Generated_EqualsCommitted()
    {
        JsonObject generated = await SenderKeyPlaintextLimit.TranscriptAsync();

        Assert.Equal((await VectorAsync()).ToJsonString(), generated.ToJsonString());
    }

    [Fact]
    public async Task VerifyAsync_Committed_Passes()
    {
        await s_suite.VerifyAsync(await VectorAsync());
    }

    [Fact]
    public async Task VerifyAsync_FailureNamedChainExhausted_Throws()
    {
        JsonObject vector = await VectorAsync();
        FailStep(vector)["failure"] = "ChainExhausted";

        await Assert.ThrowsAsync<VectorMismatchException>(async () => await s_suite.VerifyAsync(vector));
    }

    [Fact]
    public async Task VerifyAsync_PlaintextAtTheLimit_Throws()
    {
        // 65536 bytes is the longest plaintext that encrypts, so the step no longer fails.
        JsonObject vector = await VectorAsync();
        JsonObject step = FailStep(vector);
        step["plaintext"] = VectorJson.String(step, "plaintext")[2..];

        await Assert.ThrowsAsync<VectorMismatchException>(async () => await s_suite.VerifyAsync(vector));
    }

    private static JsonObject FailStep(JsonObject vector) =>
        VectorJson.Array(vector, "steps").OfType<JsonObject>().Single(s => VectorJson.String(s, "op") == "encrypt_fail");

    private static async Task<JsonObject> VectorAsync() =>
        (await VectorTestFiles.VectorsAsync("sender_keys.json")).Single(v => VectorJson.String(v, "name") == Name);
}
