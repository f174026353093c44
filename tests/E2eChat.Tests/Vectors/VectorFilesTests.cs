using System.Text.Json.Nodes;
using E2eChat.Cli.Vectors;

namespace E2eChat.Tests.Vectors;

public sealed class VectorFilesTests
{
    public static TheoryData<string> FileNames => [.. VectorSuites.All.Select(s => s.FileName)];

    [Fact]
    public async Task GenerateAsync_IntoTemporaryDirectory_IsByteIdenticalToCommittedFiles()
    {
        string directory = Path.Combine(Path.GetTempPath(), $"e2echat-vectors-{Guid.NewGuid():N}");
        try
        {
            await VectorFiles.GenerateAsync(directory, TextWriter.Null);

            foreach (IVectorSuite suite in VectorSuites.All)
            {
                byte[] committed = await File.ReadAllBytesAsync(Path.Combine(RepositoryRoot.VectorDirectory, suite.FileName));
                byte[] regenerated = await File.ReadAllBytesAsync(Path.Combine(directory, suite.FileName));
                Assert.True(committed.AsSpan().SequenceEqual(regenerated), $"{suite.FileName} differs from a fresh generation; run `dotnet run --project src/E2eChat.Cli -- vectors generate tests/vectors`");
            }

            Assert.Equal(
                VectorSuites.All.Select(s => s.FileName).Order(StringComparer.Ordinal),
                Directory.GetFiles(directory).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task VerifyAsync_CommittedFiles_EveryFileCheckedWithoutFailure()
    {
        using var output = new StringWriter();

        IReadOnlyList<FileVerification> results = await VectorFiles.VerifyAsync(RepositoryRoot.VectorDirectory, output);

        Assert.Equal(VectorSuites.All.Count, results.Count);
        foreach (FileVerification result in results)
        {
            Assert.True(result.Checked > 0, $"{result.FileName}: no vectors");
            Assert.True(result.Failed == 0, $"{result.FileName}: {string.Join("; ", result.Failures)}");
            Assert.Contains($"{result.FileName}: {result.Checked} checked, 0 failed", output.ToString(), StringComparison.Ordinal);
        }

        Assert.True(VectorFiles.Succeeded(results));
        Assert.EndsWith($"vectors: {results.Sum(r => r.Checked)} passed, 0 failed{Environment.NewLine}", output.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(FileNames))]
    public async Task VerifyFileAsync_OneByteOfAnOutputChanged_FailsExactlyThatVector(string fileName)
    {
        IVectorSuite suite = VectorSuites.All.Single(s => s.FileName == fileName);
        JsonObject file = await VectorTestFiles.LoadAsync(fileName);
        JsonArray vectors = VectorJson.Array(file, "vectors");
        JsonObject target = vectors.OfType<JsonObject>().First(v => !VectorJson.String(v, "kind").Contains("invalid", StringComparison.Ordinal));
        VectorTestFiles.ChangeOneByte(VectorTestFiles.OutputOf(target));

        FileVerification result = await VectorFiles.VerifyFileAsync(suite, VectorJson.Serialize(file));

        Assert.Equal(vectors.Count, result.Checked);
        Assert.Equal(1, result.Failed);
        Assert.StartsWith(VectorJson.String(target, "name") + ":", result.Failures[0], StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(FileNames))]
    public async Task VerifyFileAsync_UnchangedCopy_Passes(string fileName)
    {
        IVectorSuite suite = VectorSuites.All.Single(s => s.FileName == fileName);
        JsonObject file = await VectorTestFiles.LoadAsync(fileName);

        FileVerification result = await VectorFiles.VerifyFileAsync(suite, VectorJson.Serialize(file));

        Assert.Equal(0, result.Failed);
        Assert.Equal(VectorJson.Array(file, "vectors").Count, result.Checked);
    }

    [Theory]
    [InlineData("protocol", "E2eChat v2")]
    [InlineData("file", "other.json")]
    public async Task VerifyFileAsync_WrongHeader_FailsTheFile(string field, string value)
    {
        IVectorSuite suite = VectorSuites.All[0];
        JsonObject file = await VectorTestFiles.LoadAsync(suite.FileName);
        file[field] = value;

        FileVerification result = await VectorFiles.VerifyFileAsync(suite, VectorJson.Serialize(file));

        Assert.Equal(0, result.Checked);
        Assert.Equal(1, result.Failed);
    }

    [Fact]
    public async Task VerifyFileAsync_DuplicateName_FailsTheSecond()
    {
        IVectorSuite suite = VectorSuites.All[0];
        JsonObject file = await VectorTestFiles.LoadAsync(suite.FileName);
        JsonArray vectors = VectorJson.Array(file, "vectors");
        vectors[1]!["name"] = VectorJson.String(vectors[0]!.AsObject(), "name");

        FileVerification result = await VectorFiles.VerifyFileAsync(suite, VectorJson.Serialize(file));

        Assert.Equal(1, result.Failed);
        Assert.Contains("duplicate", result.Failures[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyAsync_EmptyDirectory_FailsEveryFile()
    {
        string directory = Path.Combine(Path.GetTempPath(), $"e2echat-vectors-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        try
        {
            IReadOnlyList<FileVerification> results = await VectorFiles.VerifyAsync(directory, TextWriter.Null);

            Assert.All(results, r => Assert.Equal(1, r.Failed));
            Assert.False(VectorFiles.Succeeded(results));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Succeeded_NoVectors_IsFalse()
    {
        Assert.False(VectorFiles.Succeeded([new FileVerification("kdf.json", 0, [])]));
        Assert.True(VectorFiles.Succeeded([new FileVerification("kdf.json", 1, [])]));
    }
}
