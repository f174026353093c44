namespace E2eChat.Tests.Vectors;

/// <summary>The repository checkout the tests run from: the nearest folder above the test binaries that holds E2eChat.sln.</summary>
internal static class RepositoryRoot
{
    private static readonly Lazy<string> s_path = new(Find);

    /// <summary>The repository root.</summary>
    public static string Path => s_path.Value;

    /// <summary>tests/vectors in the repository.</summary>
    public static string VectorDirectory => System.IO.Path.Combine(Path, "tests", "vectors");

    private static string Find()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "E2eChat.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No E2eChat.sln above {AppContext.BaseDirectory}");
    }
}
