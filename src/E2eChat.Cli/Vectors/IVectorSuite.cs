namespace E2eChat.Cli.Vectors;

/// <summary>One vector file: how its vectors are generated and how each one is checked.</summary>
internal interface IVectorSuite
{
    /// <summary>The file name, e.g. <c>kdf.json</c>.</summary>
    string FileName { get; }

    /// <summary>Generates the file's vectors, in file order, from the fixed seeds.</summary>
    ValueTask<IReadOnlyList<JsonObject>> GenerateAsync();

    /// <summary>
    /// Recomputes one vector with the C# implementation; throws <see cref="VectorMismatchException"/>
    /// when an output differs and <see cref="VectorFormatException"/> when the vector is malformed.
    /// </summary>
    ValueTask VerifyAsync(JsonObject vector);
}
