using System.Text.Json.Nodes;
using E2eChat.Cli.Vectors;

namespace E2eChat.Tests.Vectors;

public sealed class HandshakeVectorsTests
{
    private const string File = "handshake.json";

    private static readonly HandshakeVectors s_suite = new();

    [Fact]
    public async Task VerifyAsync_UntrustedIdentityVector_Passes()
    {
        JsonObject vector = await VectorAsync("handshake_invalid_untrusted_identity");

        Assert.Equal("UntrustedIdentity", VectorJson.String(vector, "failure"));
        await s_suite.VerifyAsync(vector);
    }

    [Fact]
    public async Task VerifyAsync_UntrustedIdentityVectorWithoutTrustedIdentity_Throws()
    {
        // With no identity stored for Alice, the unchanged message is accepted (trust on first use).
        JsonObject vector = await VectorAsync("handshake_invalid_untrusted_identity");
        vector.Remove("trusted_identity");

        VectorMismatchException e = await Assert.ThrowsAsync<VectorMismatchException>(async () => await s_suite.VerifyAsync(vector));
        Assert.Contains("failure", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyAsync_UntrustedIdentityVectorTrustingAlice_Throws()
    {
        JsonObject vector = await VectorAsync("handshake_invalid_untrusted_identity");
        JsonObject trusting = await VectorAsync("handshake_invalid_trusted_identity_tampered_ciphertext");
        vector["trusted_identity"] = VectorJson.String(trusting, "trusted_identity");

        await Assert.ThrowsAsync<VectorMismatchException>(async () => await s_suite.VerifyAsync(vector));
    }

    [Fact]
    public async Task VerifyAsync_EmptyTrustedIdentity_IsTheSameAsNone()
    {
        JsonObject vector = await VectorAsync("handshake_invalid_tampered_ciphertext");
        vector["trusted_identity"] = string.Empty;

        await s_suite.VerifyAsync(vector);
    }

    [Fact]
    public async Task VerifyAsync_InvalidTrustedIdentity_ThrowsFormatException()
    {
        JsonObject vector = await VectorAsync("handshake_invalid_untrusted_identity");
        vector["trusted_identity"] = VectorJson.String(vector, "trusted_identity")[..^2];

        await Assert.ThrowsAsync<VectorFormatException>(async () => await s_suite.VerifyAsync(vector));
    }

    private static async Task<JsonObject> VectorAsync(string name) =>
        (await VectorTestFiles.VectorsAsync(File)).Single(v => VectorJson.String(v, "name") == name);
}
