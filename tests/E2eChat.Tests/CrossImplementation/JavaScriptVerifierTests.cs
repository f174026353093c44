using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace E2eChat.Tests.CrossImplementation;

/// <summary>
/// Runs the independent JavaScript implementation (tests/verifier, written from PROTOCOL.md alone on
/// @noble libraries) over the published vectors, so that `dotnet test` fails whenever the C# and the
/// spec drift apart. Installs the verifier's locked npm dependencies on first use.
/// </summary>
public sealed partial class JavaScriptVerifierTests
{
    private static readonly string s_root = FindRepositoryRoot();
    private static readonly Lazy<string> s_install = new(InstallDependencies, LazyThreadSafetyMode.ExecutionAndPublication);

    [Fact]
    public void VerifyMjs_PublishedVectors_AllPassWithCountsPerFile()
    {
        _ = s_install.Value;
        (int exit, string output) = Run("node", $"tests/verifier/verify.mjs tests/vectors");
        Assert.True(exit == 0, output);

        string[] files = Directory.GetFiles(Path.Combine(s_root, "tests", "vectors"), "*.json").Select(Path.GetFileName).ToArray()!;
        Assert.NotEmpty(files);
        foreach (string file in files)
        {
            Match line = Regex.Match(output, $@"^{Regex.Escape(file)}: (\d+) checked, (\d+) failed", RegexOptions.Multiline);
            Assert.True(line.Success, $"no count line for {file}:\n{output}");
            Assert.True(int.Parse(line.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) > 0, file);
            Assert.Equal("0", line.Groups[2].Value);
        }

        Match total = TotalLine().Match(output);
        Assert.True(total.Success, output);
        Assert.Equal("0", total.Groups[2].Value);
    }

    [Fact]
    public void VerifyMjs_OneByteChangedInAnyVectorFile_Fails()
    {
        _ = s_install.Value;
        foreach (string file in Directory.GetFiles(Path.Combine(s_root, "tests", "vectors"), "*.json"))
        {
            string dir = Directory.CreateTempSubdirectory("e2echat-vectors-").FullName;
            try
            {
                foreach (string other in Directory.GetFiles(Path.Combine(s_root, "tests", "vectors"), "*.json"))
                {
                    File.Copy(other, Path.Combine(dir, Path.GetFileName(other)));
                }

                string target = Path.Combine(dir, Path.GetFileName(file));
                JsonNode root = JsonNode.Parse(File.ReadAllText(target))!;

                // Flip one hex digit of the last byte string of the file's first vector (an output).
                var strings = new List<(JsonObject Owner, string Key)>();
                Collect(root["vectors"]![0]!, strings);
                Assert.NotEmpty(strings);
                (JsonObject owner, string key) = strings[^1];
                string value = owner[key]!.GetValue<string>();

                // An envelope's ciphertext bytes are opaque to the relay checks, so change its first
                // byte (the version tag) instead of one in the middle.
                int at = key == "envelope" ? 0 : value.Length / 2;
                owner[key] = string.Concat(value.AsSpan(0, at), value[at] == '0' ? "1" : "0", value.AsSpan(at + 1));
                File.WriteAllText(target, root.ToJsonString());

                (int exit, string output) = Run("node", $"tests/verifier/verify.mjs \"{dir}\"");
                Assert.True(exit != 0, $"{Path.GetFileName(file)}: a changed byte went unnoticed:\n{output}");
            }
            finally
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }

    [Fact]
    public void NodeSelfTests_OfTheVerifier_Pass()
    {
        _ = s_install.Value;
        (int exit, string output) = Run("node", "--test test/", Path.Combine(s_root, "tests", "verifier"));
        Assert.True(exit == 0, output);
        Assert.Matches(@"# pass \d+", output);
        Assert.Contains("# fail 0", output, StringComparison.Ordinal);
    }

    private static void Collect(JsonNode node, List<(JsonObject Owner, string Key)> strings)
    {
        if (node is JsonObject obj)
        {
            foreach ((string key, JsonNode? child) in obj)
            {
                if (child is JsonValue v && v.TryGetValue(out string? text) && text.Length >= 16 && HexString().IsMatch(text) && !IsUncheckedInput(key))
                {
                    strings.Add((obj, key));
                }
                else if (child is not null)
                {
                    Collect(child, strings);
                }
            }
        }
        else if (node is JsonArray array)
        {
            foreach (JsonNode? child in array)
            {
                if (child is not null)
                {
                    Collect(child, strings);
                }
            }
        }
    }

    /// <summary>Random inputs that may feed no recorded output (e.g. a last ratchet key never used to encrypt).</summary>
    private static bool IsUncheckedInput(string key) => key.EndsWith("_private", StringComparison.Ordinal) || key.EndsWith("seed", StringComparison.Ordinal);

    private static string InstallDependencies()
    {
        if (Directory.Exists(Path.Combine(s_root, "tests", "verifier", "node_modules", "@noble")))
        {
            return "present";
        }

        (int exit, string output) = Run("npm", "ci --prefix tests/verifier --no-audit --no-fund");
        if (exit != 0)
        {
            throw new InvalidOperationException("npm ci for tests/verifier failed:\n" + output);
        }

        return "installed";
    }

    private static (int Exit, string Output) Run(string program, string arguments, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(program, arguments)
        {
            WorkingDirectory = workingDirectory ?? s_root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(10)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {arguments} did not finish");
        }

        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    private static string FindRepositoryRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "E2eChat.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("E2eChat.sln not found above the test assembly.");
    }

    [GeneratedRegex("^[0-9a-f]+$")]
    private static partial Regex HexString();

    [GeneratedRegex(@"^verifier: (\d+) passed, (\d+) failed", RegexOptions.Multiline)]
    private static partial Regex TotalLine();
}
