using System.Reflection;
using E2eChat.Relay;
using E2eChat.Wire;

namespace E2eChat.Tests.PublicSurface;

/// <summary>
/// The public types of each package, listed by reflection and compared with a checked-in list
/// (<c>tests/E2eChat.Tests/PublicSurface/&lt;package&gt;.txt</c>, one full type name a line, sorted), so
/// that the public surface changes only on purpose: a type made public, renamed or removed fails
/// here until its list is updated in the same commit (run this test with
/// <c>E2ECHAT_UPDATE_PUBLIC_SURFACE=1</c> to rewrite the lists, then review their diff).
/// </summary>
public sealed class PublicSurfaceTests
{
    /// <summary>Set to 1 to rewrite the lists from the build (then review the diff before committing).</summary>
    private const string UpdateVariable = "E2ECHAT_UPDATE_PUBLIC_SURFACE";

    [Theory]
    [InlineData("E2eChat")]
    [InlineData("E2eChat.Business")]
    [InlineData("E2eChat.Wire")]
    [InlineData("E2eChat.Relay")]
    [InlineData("E2eChat.Client")]
    [InlineData("E2eChat.Storage.Sqlite")]
    public void ExportedTypes_MatchTheCheckedInList(string package)
    {
        Assembly assembly = package switch
        {
            "E2eChat" => typeof(SessionManager).Assembly,
            "E2eChat.Business" => typeof(AccountDirectory).Assembly,
            "E2eChat.Wire" => typeof(EnvelopeFailure).Assembly,
            "E2eChat.Relay" => typeof(EnvelopeValidator).Assembly,
            "E2eChat.Client" => typeof(E2eChat.Client.ChatDevice).Assembly,
            "E2eChat.Storage.Sqlite" => typeof(E2eChat.Storage.Sqlite.SqliteProtocolStore).Assembly,
            _ => throw new ArgumentOutOfRangeException(nameof(package), package, null),
        };
        string listPath = Path.Combine(FindListDirectory(), package + ".txt");

        string[] actual = ExportedTypeNames(assembly);
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            File.WriteAllLines(listPath, actual);
        }

        string[] expected = File.ReadAllLines(listPath).Where(line => line.Length != 0).ToArray();

        string[] added = actual.Except(expected, StringComparer.Ordinal).ToArray();
        string[] removed = expected.Except(actual, StringComparer.Ordinal).ToArray();
        Assert.True(
            added.Length == 0 && removed.Length == 0,
            $"The public surface of {package} differs from {listPath}.\nNew public types: {string.Join(", ", added)}\nNo longer public: {string.Join(", ", removed)}");
        Assert.Equal(expected.Order(StringComparer.Ordinal), expected);
    }

    /// <summary>The full names of the assembly's public types (nested types as <c>Outer+Inner</c>), sorted ordinally.</summary>
    private static string[] ExportedTypeNames(Assembly assembly) =>
        assembly.GetExportedTypes().Select(type => type.FullName!).Order(StringComparer.Ordinal).ToArray();

    private static string FindListDirectory()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "tests", "E2eChat.Tests", "PublicSurface");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException($"tests/E2eChat.Tests/PublicSurface not found above {AppContext.BaseDirectory}");
    }
}
