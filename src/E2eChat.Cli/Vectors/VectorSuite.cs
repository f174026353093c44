namespace E2eChat.Cli.Vectors;

/// <summary>
/// The part every vector file shares: its name, and verification that reads a vector's
/// <c>kind</c> and <c>name</c> and hands them to the suite (which throws <see cref="UnknownKind"/>
/// for a kind it does not know).
/// </summary>
internal abstract class VectorSuite : IVectorSuite
{
    /// <summary>Creates the suite of <paramref name="fileName"/>.</summary>
    private protected VectorSuite(string fileName) => FileName = fileName;

    /// <inheritdoc/>
    public string FileName { get; }

    /// <inheritdoc/>
    public abstract ValueTask<IReadOnlyList<JsonObject>> GenerateAsync();

    /// <inheritdoc/>
    public ValueTask VerifyAsync(JsonObject vector)
    {
        ArgumentNullException.ThrowIfNull(vector);
        return VerifyAsync(VectorJson.String(vector, "kind"), VectorJson.String(vector, "name"), vector);
    }

    /// <summary>The error for a vector of a kind the file does not have.</summary>
    private protected static VectorFormatException UnknownKind(string kind) => new($"unknown kind '{kind}'");

    /// <summary>Recomputes one vector of <paramref name="kind"/> named <paramref name="name"/> and compares it.</summary>
    private protected abstract ValueTask VerifyAsync(string kind, string name, JsonObject vector);
}
