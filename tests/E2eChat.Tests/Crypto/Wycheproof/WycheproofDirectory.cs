namespace E2eChat.Tests.Crypto.Wycheproof;

/// <summary>
/// Finds the Wycheproof vectors, which are not copied into the repository: the directory named by
/// the environment variable <c>E2ECHAT_WYCHEPROOF_DIR</c> when it is set, otherwise the first
/// <c>shared/vectors/wycheproof</c> found walking up from the test assembly's directory (in CI the
/// clone and <c>shared/</c> are siblings, so this is <c>../shared/vectors/wycheproof</c> from the
/// repository root).
/// </summary>
internal static class WycheproofDirectory
{
    /// <summary>The environment variable that overrides the search.</summary>
    internal const string EnvironmentVariable = "E2ECHAT_WYCHEPROOF_DIR";

    private static readonly string s_relativePath = Path.Combine("shared", "vectors", "wycheproof");

    private static readonly Lazy<string> s_path = new(Locate, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The directory holding the vector files; throws when it cannot be found.</summary>
    internal static string FullPath => s_path.Value;

    /// <summary>The full path of one vector file, which must exist.</summary>
    /// <param name="fileName">The file name, e.g. <c>x25519_test.json</c>.</param>
    /// <returns>The full path.</returns>
    internal static string File(string fileName)
    {
        string path = Path.Combine(s_path.Value, fileName);
        if (!System.IO.File.Exists(path))
        {
            throw new FileNotFoundException($"Wycheproof vector file {fileName} is missing from {s_path.Value}.", path);
        }

        return path;
    }

    private static string Locate()
    {
        string? overridden = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(overridden))
        {
            if (!Directory.Exists(overridden))
            {
                throw new DirectoryNotFoundException($"{EnvironmentVariable} names {overridden}, which does not exist.");
            }

            return Path.GetFullPath(overridden);
        }

        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            string candidate = Path.Combine(directory.FullName, s_relativePath);
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException(
            $"No {s_relativePath} directory above {AppContext.BaseDirectory}; place shared/ beside the clone or set {EnvironmentVariable}.");
    }
}
