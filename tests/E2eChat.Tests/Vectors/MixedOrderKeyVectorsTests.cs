using System.Text.Json.Nodes;
using E2eChat.Cli.Vectors;

namespace E2eChat.Tests.Vectors;

/// <summary>
/// The mixed-order Ed25519 key vectors of keys.json (PROTOCOL.md section 1, rules 4 and 5): both
/// regenerate byte for byte, pass as committed, and their outcome rests on the signature.
/// </summary>
public sealed class MixedOrderKeyVectorsTests
{
    private const string Refused = "identity_invalid_signature_mixed_order_key_cofactored_only";
    private const string Accepted = "identity_accepted_mixed_order_key";
    private static readonly KeyVectors s_suite = new();

    [Fact]
    public async Task Add_Generated_EqualsCommitted()
    {
        var generated = new List<JsonObject>();
        MixedOrderKeyVectors.Add(generated);

        Assert.Equal(
            [(await VectorAsync(Refused)).ToJsonString(), (await VectorAsync(Accepted)).ToJsonString()],
            generated.Select(v => v.ToJsonString()));
    }

    [Theory]
    [InlineData(Refused)]
    [InlineData(Accepted)]
    public async Task VerifyAsync_Committed_Passes(string name)
    {
        await s_suite.VerifyAsync(await VectorAsync(name));
    }

    [Fact]
    public async Task VerifyAsync_AcceptedKeyWithOtherSignatureByte_Throws()
    {
        // One bit of S changed: the cofactorless equation no longer holds.
        JsonObject vector = await VectorAsync(Accepted);
        byte[] identity = VectorJson.Bytes(vector, "identity_key");
        identity[100] ^= 0x01;
        vector["identity_key"] = Convert.ToHexStringLower(identity);

        await Assert.ThrowsAsync<VectorMismatchException>(async () => await s_suite.VerifyAsync(vector));
    }

    [Fact]
    public void TryParse_CofactoredOnlySignature_RefusesWhatTheAcceptedKeyPasses()
    {
        // Same construction, both keys mixed-order: only k mod 8 decides.
        var generated = new List<JsonObject>();
        MixedOrderKeyVectors.Add(generated);

        Assert.False(IdentityKey.TryParse(VectorJson.Bytes(generated[0], "identity_key"), out _, out _));
        Assert.True(IdentityKey.TryParse(VectorJson.Bytes(generated[1], "identity_key"), out _, out _));
    }

    private static async Task<JsonObject> VectorAsync(string name) =>
        (await VectorTestFiles.VectorsAsync("keys.json")).Single(v => VectorJson.String(v, "name") == name);
}
