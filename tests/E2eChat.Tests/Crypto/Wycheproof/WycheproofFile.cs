using System.Text.Json;

namespace E2eChat.Tests.Crypto.Wycheproof;

/// <summary>A parsed Wycheproof JSON file.</summary>
internal sealed class WycheproofFile : IDisposable
{
    private readonly JsonDocument _document;

    private WycheproofFile(string name, JsonDocument document)
    {
        Name = name;
        _document = document;
    }

    /// <summary>The file name.</summary>
    internal string Name { get; }

    /// <summary>The <c>numberOfTests</c> the file declares.</summary>
    internal int DeclaredNumberOfTests => _document.RootElement.GetProperty("numberOfTests").GetInt32();

    /// <summary>Every case of every group, in file order.</summary>
    internal IEnumerable<WycheproofCase> Cases
    {
        get
        {
            foreach (JsonElement group in _document.RootElement.GetProperty("testGroups").EnumerateArray())
            {
                foreach (JsonElement test in group.GetProperty("tests").EnumerateArray())
                {
                    yield return new WycheproofCase(group, test);
                }
            }
        }
    }

    /// <summary>Loads and parses a vector file from <see cref="WycheproofDirectory"/>.</summary>
    /// <param name="fileName">The file name, e.g. <c>x25519_test.json</c>.</param>
    /// <returns>The parsed file, which the caller disposes.</returns>
    internal static WycheproofFile Load(string fileName)
    {
        using FileStream stream = System.IO.File.OpenRead(WycheproofDirectory.File(fileName));
        return new WycheproofFile(fileName, JsonDocument.Parse(stream));
    }

    /// <summary>Releases the parsed document.</summary>
    public void Dispose() => _document.Dispose();
}
