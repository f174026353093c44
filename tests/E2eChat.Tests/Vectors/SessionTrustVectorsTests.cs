using System.Text.Json.Nodes;
using E2eChat.Cli.Vectors;

namespace E2eChat.Tests.Vectors;

/// <summary>
/// <c>session_encrypt_trust</c> (handshake.json): the committed vectors pass, and the outcome follows
/// the identity approved last.
/// </summary>
public sealed class SessionTrustVectorsTests
{
    private static readonly HandshakeVectors s_suite = new();

    [Theory]
    [InlineData("session_encrypt_untrusted_identity")]
    [InlineData("session_encrypt_identity_approved_again")]
    public async Task VerifyAsync_Committed_Passes(string name)
    {
        await s_suite.VerifyAsync(await VectorAsync(name));
    }

    [Fact]
    public async Task VerifyAsync_BobApprovedLastButUntrustedExpected_Throws()
    {
        JsonObject vector = await VectorAsync("session_encrypt_untrusted_identity");
        JsonObject again = await VectorAsync("session_encrypt_identity_approved_again");
        vector["approved"] = VectorJson.Array(again, "approved").DeepClone();

        VectorMismatchException e = await Assert.ThrowsAsync<VectorMismatchException>(async () => await s_suite.VerifyAsync(vector));
        Assert.Contains("failure", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyAsync_MalloryApprovedLastButSuccessExpected_Throws()
    {
        JsonObject vector = await VectorAsync("session_encrypt_identity_approved_again");
        JsonArray approved = VectorJson.Array(vector, "approved");
        approved.Add(approved[0]!.DeepClone());

        await Assert.ThrowsAsync<VectorMismatchException>(async () => await s_suite.VerifyAsync(vector));
    }

    private static async Task<JsonObject> VectorAsync(string name) =>
        (await VectorTestFiles.VectorsAsync("handshake.json")).Single(v => VectorJson.String(v, "name") == name);
}
