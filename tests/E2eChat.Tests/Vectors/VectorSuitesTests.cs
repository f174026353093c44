using System.Text.Json.Nodes;
using E2eChat.Cli.Vectors;

namespace E2eChat.Tests.Vectors;

public sealed class VectorSuitesTests
{
    public static TheoryData<string> FileNames => [.. VectorSuites.All.Select(s => s.FileName)];

    [Fact]
    public void All_FileNames_AreThePublishedFiles()
    {
        Assert.Equal(
            ["kdf.json", "padding.json", "keys.json", "handshake.json", "ratchet.json", "envelopes.json", "sender_keys.json", "device-lists.json", "contact-links.json", "content.json", "consent-records.json", "consent-decisions.json", "stored.json"],
            VectorSuites.All.Select(s => s.FileName));
    }

    [Theory]
    [MemberData(nameof(FileNames))]
    public async Task VerifyAsync_AnyPositiveVectorWithOneOutputByteChanged_Throws(string fileName)
    {
        IVectorSuite suite = VectorSuites.All.Single(s => s.FileName == fileName);
        List<JsonObject> positives = (await VectorTestFiles.VectorsAsync(fileName))
            .Where(v => !VectorJson.String(v, "kind").Contains("invalid", StringComparison.Ordinal))
            .ToList();
        Assert.NotEmpty(positives);

        foreach (JsonObject vector in positives)
        {
            VectorTestFiles.ChangeOneByte(VectorTestFiles.OutputOf(vector));

            await Assert.ThrowsAsync<VectorMismatchException>(async () => await suite.VerifyAsync(vector));
        }
    }

    [Theory]
    [MemberData(nameof(FileNames))]
    public async Task VerifyAsync_AnyNegativeVectorWithAnotherFailure_Throws(string fileName)
    {
        IVectorSuite suite = VectorSuites.All.Single(s => s.FileName == fileName);
        foreach (JsonObject vector in await VectorTestFiles.VectorsAsync(fileName))
        {
            if (vector.ContainsKey("failure"))
            {
                vector["failure"] = VectorTestFiles.OtherFailure(VectorJson.String(vector, "failure"));
            }
            else if (VectorJson.String(vector, "kind") == "ratchet_invalid")
            {
                VectorJson.Array(vector, "steps").OfType<JsonObject>().Last()["failure"] = "None";
            }
            else
            {
                continue;
            }

            await Assert.ThrowsAsync<VectorMismatchException>(async () => await suite.VerifyAsync(vector));
        }
    }

    [Theory]
    [MemberData(nameof(FileNames))]
    public async Task VerifyAsync_UnknownKind_ThrowsFormatException(string fileName)
    {
        IVectorSuite suite = VectorSuites.All.Single(s => s.FileName == fileName);
        JsonObject vector = (await VectorTestFiles.VectorsAsync(fileName))[0];
        vector["kind"] = "no_such_kind";

        await Assert.ThrowsAsync<VectorFormatException>(async () => await suite.VerifyAsync(vector));
    }

    [Fact]
    public async Task VerifyAsync_TranscriptWithChangedNonce_Throws()
    {
        IVectorSuite suite = VectorSuites.All.Single(s => s.FileName == "ratchet.json");
        JsonObject vector = (await VectorTestFiles.VectorsAsync("ratchet.json"))[0];
        JsonObject step = VectorJson.Array(vector, "steps").OfType<JsonObject>().First(s => VectorJson.String(s, "op") == "encrypt");
        VectorTestFiles.ChangeOneByte((step, "header_nonce"));

        await Assert.ThrowsAsync<VectorMismatchException>(async () => await suite.VerifyAsync(vector));
    }

    [Fact]
    public async Task VerifyAsync_TranscriptWithoutRecordedRatchetKey_Throws()
    {
        // A decrypt that performs a DH ratchet step must find the new key recorded.
        IVectorSuite suite = VectorSuites.All.Single(s => s.FileName == "ratchet.json");
        JsonObject vector = (await VectorTestFiles.VectorsAsync("ratchet.json"))[0];
        JsonObject step = VectorJson.Array(vector, "steps").OfType<JsonObject>()
            .First(s => VectorJson.String(s, "op") == "decrypt" && VectorJson.String(s, "new_ratchet_private").Length > 0);
        step["new_ratchet_private"] = string.Empty;

        await Assert.ThrowsAsync<VectorMismatchException>(async () => await suite.VerifyAsync(vector));
    }
}
