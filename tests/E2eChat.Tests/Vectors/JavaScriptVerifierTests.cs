using System.Diagnostics;
using System.Text.Json.Nodes;
using E2eChat.Cli.Vectors;

namespace E2eChat.Tests.Vectors;

/// <summary>
/// The independent JavaScript implementation in <c>tests/verifier</c> (Node 20) over the published
/// vectors: every file must be checked without failure, and a changed vector must fail. Its locked
/// npm packages are installed (<c>npm ci</c>) on first use.
/// </summary>
public sealed class JavaScriptVerifierTests
{
    private static readonly string s_verifierDirectory = Path.Combine(RepositoryRoot.Path, "tests", "verifier");
    private static readonly string[] s_packages = ["curves", "hashes", "ciphers", "post-quantum"];
    private static readonly SemaphoreSlim s_install = new(1, 1);

    [Fact]
    public async Task VerifyMjs_PublishedVectors_EveryFileCheckedWithoutFailure()
    {
        await EnsurePackagesAsync();

        (int exitCode, string output) = await RunAsync("node", Path.Combine(s_verifierDirectory, "verify.mjs"), RepositoryRoot.VectorDirectory);

        Assert.True(exitCode == 0, output);
        int total = 0;
        foreach (IVectorSuite suite in VectorSuites.All)
        {
            int count = VectorJson.Array(await VectorTestFiles.LoadAsync(suite.FileName), "vectors").Count;
            Assert.True(count > 0, suite.FileName);
            Assert.Contains($"{suite.FileName}: {count} checked, 0 failed\n", output, StringComparison.Ordinal);
            total += count;
        }

        Assert.Contains($"verifier: {total} passed, 0 failed\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyMjs_SenderKeyVectorWithOneByteChanged_FailsThatFile()
    {
        await EnsurePackagesAsync();
        string directory = Path.Combine(Path.GetTempPath(), $"e2echat-js-vectors-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        try
        {
            JsonObject file = await VectorTestFiles.LoadAsync("sender_keys.json");
            JsonObject target = VectorJson.Array(file, "vectors").OfType<JsonObject>().First(v => VectorJson.String(v, "kind") == "sender_key_transcript");
            VectorTestFiles.ChangeOneByte(VectorTestFiles.OutputOf(target));
            await File.WriteAllBytesAsync(Path.Combine(directory, "sender_keys.json"), VectorJson.Serialize(file));

            (int exitCode, string output) = await RunAsync("node", Path.Combine(s_verifierDirectory, "verify.mjs"), directory);

            Assert.Equal(1, exitCode);
            Assert.Contains($"sender_keys.json: {VectorJson.Array(file, "vectors").Count} checked, 1 failed\n", output, StringComparison.Ordinal);
            Assert.Contains($"FAIL sender_keys.json: {VectorJson.String(target, "name")}: ", output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task EnsurePackagesAsync()
    {
        await s_install.WaitAsync();
        try
        {
            if (s_packages.All(p => Directory.Exists(Path.Combine(s_verifierDirectory, "node_modules", "@noble", p))))
            {
                return;
            }

            (int exitCode, string output) = await RunAsync("npm", "ci", "--prefix", s_verifierDirectory, "--no-audit", "--no-fund");
            Assert.True(exitCode == 0, $"npm ci in tests/verifier failed:\n{output}");
        }
        finally
        {
            s_install.Release();
        }
    }

    /// <summary>Runs a program to completion (at most 10 minutes); returns its exit code and its stdout followed by its stderr.</summary>
    private static async Task<(int ExitCode, string Output)> RunAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryRoot.Path,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, (await stdout).ReplaceLineEndings("\n") + (await stderr).ReplaceLineEndings("\n"));
    }
}
