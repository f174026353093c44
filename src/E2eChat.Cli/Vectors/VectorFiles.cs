using System.Security.Cryptography;

namespace E2eChat.Cli.Vectors;

/// <summary>Writes and verifies the vector files of every suite.</summary>
internal static class VectorFiles
{
    /// <summary>The <c>protocol</c> field of every file.</summary>
    internal const string Protocol = "E2eChat v1";

    /// <summary>The <c>generator</c> field of every file (no version or date, so regeneration is byte-identical).</summary>
    internal const string Generator = "E2eChat.Cli vectors generate (C# implementation); seeds: tests/vectors/README.md";

    /// <summary>Generates the bytes of one file.</summary>
    internal static async ValueTask<byte[]> GenerateFileAsync(IVectorSuite suite)
    {
        ArgumentNullException.ThrowIfNull(suite);
        IReadOnlyList<JsonObject> vectors = await suite.GenerateAsync().ConfigureAwait(false);
        var names = new HashSet<string>(StringComparer.Ordinal);
        var array = new JsonArray();
        foreach (JsonObject vector in vectors)
        {
            string name = VectorJson.String(vector, "name");
            if (!names.Add(name))
            {
                throw new InvalidOperationException($"{suite.FileName}: duplicate vector name '{name}'");
            }

            array.Add(vector);
        }

        var file = new JsonObject
        {
            ["protocol"] = Protocol,
            ["file"] = suite.FileName,
            ["generator"] = Generator,
            ["vectors"] = array,
        };
        return VectorJson.Serialize(file);
    }

    /// <summary>Generates every file into <paramref name="directory"/>.</summary>
    internal static async ValueTask GenerateAsync(string directory, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(log);
        Directory.CreateDirectory(directory);
        foreach (IVectorSuite suite in VectorSuites.All)
        {
            byte[] content = await GenerateFileAsync(suite).ConfigureAwait(false);
            await File.WriteAllBytesAsync(Path.Combine(directory, suite.FileName), content).ConfigureAwait(false);
            int count = VectorJson.Array(VectorJson.Parse(content), "vectors").Count;
            await log.WriteLineAsync($"{suite.FileName}: {count} vectors").ConfigureAwait(false);
        }
    }

    /// <summary>Verifies the content of one file with <paramref name="suite"/>.</summary>
    internal static async ValueTask<FileVerification> VerifyFileAsync(IVectorSuite suite, ReadOnlyMemory<byte> content)
    {
        ArgumentNullException.ThrowIfNull(suite);
        JsonArray vectors;
        try
        {
            JsonObject file = VectorJson.Parse(content.Span);
            Expect.Equal("protocol", Protocol, VectorJson.String(file, "protocol"));
            Expect.Equal("file", suite.FileName, VectorJson.String(file, "file"));
            _ = VectorJson.String(file, "generator");
            vectors = VectorJson.Array(file, "vectors");
        }
        catch (Exception e) when (e is VectorFormatException or VectorMismatchException)
        {
            return new FileVerification(suite.FileName, 0, [$"(file): {e.Message}"]);
        }

        var failures = new List<string>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        int index = 0;
        foreach (JsonNode? node in vectors)
        {
            string label = $"#{index}";
            try
            {
                JsonObject vector = node as JsonObject ?? throw new VectorFormatException("a vector is not an object");
                label = VectorJson.String(vector, "name");
                if (!names.Add(label))
                {
                    throw new VectorFormatException("duplicate vector name");
                }

                _ = VectorJson.String(vector, "kind");
                await suite.VerifyAsync(vector).ConfigureAwait(false);
            }
            catch (Exception e) when (e is VectorFormatException or VectorMismatchException or ArgumentException or CryptographicException or InvalidOperationException or FormatException or OverflowException)
            {
                failures.Add($"{label}: {e.Message}");
            }

            index++;
        }

        return new FileVerification(suite.FileName, vectors.Count, failures);
    }

    /// <summary>
    /// Verifies every suite's file in <paramref name="directory"/>, printing
    /// <c>&lt;file&gt;: N checked, M failed</c> per file (after its failure lines) and a final
    /// <c>vectors: N passed, M failed</c>. A missing file counts as one failure.
    /// </summary>
    /// <returns>The per-file outcomes.</returns>
    internal static async ValueTask<IReadOnlyList<FileVerification>> VerifyAsync(string directory, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var results = new List<FileVerification>();
        foreach (IVectorSuite suite in VectorSuites.All)
        {
            string path = Path.Combine(directory, suite.FileName);
            FileVerification result = File.Exists(path)
                ? await VerifyFileAsync(suite, await File.ReadAllBytesAsync(path).ConfigureAwait(false)).ConfigureAwait(false)
                : new FileVerification(suite.FileName, 0, ["(file): missing"]);
            foreach (string failure in result.Failures)
            {
                await output.WriteLineAsync($"  FAIL {suite.FileName} {failure}").ConfigureAwait(false);
            }

            await output.WriteLineAsync($"{suite.FileName}: {result.Checked} checked, {result.Failed} failed").ConfigureAwait(false);
            results.Add(result);
        }

        int failed = results.Sum(r => r.Failed);
        int passed = results.Sum(r => r.Checked) - results.Sum(r => Math.Min(r.Failed, r.Checked));
        await output.WriteLineAsync($"vectors: {passed} passed, {failed} failed").ConfigureAwait(false);
        return results;
    }

    /// <summary>Whether a verification run succeeded: at least one vector and no failure.</summary>
    internal static bool Succeeded(IReadOnlyList<FileVerification> results) =>
        results.Sum(r => r.Checked) > 0 && results.All(r => r.Failed == 0);
}
