namespace E2eChat.Tests;

/// <summary>
/// Test helper (not a test class): reads the README's C# blocks and the tested code between markers,
/// so that tests can check that the README shows exactly the code they run. Public API only (other
/// test projects compile this file in).
/// </summary>
internal static class ReadmeCode
{
    /// <summary>The lines strictly between the marker lines.</summary>
    internal static string Between(string text, string begin, string end)
    {
        string[] lines = text.Split('\n');
        int first = Array.FindIndex(lines, l => l.Trim() == begin);
        int last = Array.FindIndex(lines, l => l.Trim() == end);
        Assert.True(first >= 0 && last > first, "the README markers are missing or out of order");
        return string.Join('\n', lines[(first + 1)..last]);
    }

    /// <summary>Removes the indentation common to all non-blank lines, and trailing spaces.</summary>
    internal static string Dedent(string code)
    {
        string[] lines = [.. code.Split('\n').Select(l => l.TrimEnd())];
        int indent = lines.Where(l => l.Length > 0).Min(l => l.Length - l.TrimStart().Length);
        return string.Join('\n', lines.Select(l => l.Length == 0 ? l : l[indent..]));
    }

    /// <summary>The first ```csharp block of the README section headed <paramref name="section"/> (the whole heading line).</summary>
    internal static string CodeBlock(string readme, string section)
    {
        int start = readme.IndexOf("\n" + section + "\n", StringComparison.Ordinal);
        Assert.True(start >= 0, $"README.md has no '{section}' section");
        int open = readme.IndexOf("\n```csharp\n", start, StringComparison.Ordinal);
        Assert.True(open >= 0, "the section has no ```csharp block");
        int body = open + "\n```csharp\n".Length;
        int close = readme.IndexOf("\n```\n", body - 1, StringComparison.Ordinal);
        Assert.True(close >= body, "the ```csharp block is not closed");
        return Dedent(readme[body..close]);
    }

    /// <summary>The folder holding E2eChat.sln, above the test's output folder.</summary>
    internal static string RepositoryRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "E2eChat.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No folder containing E2eChat.sln above {AppContext.BaseDirectory}");
    }

    /// <summary>The README and a source file, with line endings normalized.</summary>
    internal static (string Readme, string Source) Read(params string[] sourcePath)
    {
        string root = RepositoryRoot();
        return (
            File.ReadAllText(Path.Combine(root, "README.md")).ReplaceLineEndings("\n"),
            File.ReadAllText(Path.Combine([root, .. sourcePath])).ReplaceLineEndings("\n"));
    }
}
