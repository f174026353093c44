namespace E2eChat.Tests.Relay;

/// <summary>Reads protos/PROTOCOL.md from the repository, so tests can check the code against the spec.</summary>
internal static class SpecText
{
    private static readonly Lazy<string> s_protocol = new(() => File.ReadAllText(Find(Path.Combine("protos", "PROTOCOL.md"))));

    /// <summary>The text of PROTOCOL.md.</summary>
    public static string Protocol => s_protocol.Value;

    /// <summary>The text of PROTOCOL.md from the heading starting with <paramref name="heading"/> to the next heading.</summary>
    public static string Section(string heading)
    {
        string text = Protocol;
        int start = text.IndexOf("\n" + heading, StringComparison.Ordinal);
        Assert.True(start >= 0, $"PROTOCOL.md has no heading '{heading}'");
        int end = text.IndexOf("\n#", start + 1, StringComparison.Ordinal);
        return end < 0 ? text[start..] : text[start..end];
    }

    private static string Find(string relativePath)
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, relativePath);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"{relativePath} not found above {AppContext.BaseDirectory}");
    }
}
