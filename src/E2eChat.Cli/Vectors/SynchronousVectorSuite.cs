namespace E2eChat.Cli.Vectors;

/// <summary>A <see cref="VectorSuite"/> whose vectors are generated and verified without awaiting anything.</summary>
internal abstract class SynchronousVectorSuite : VectorSuite
{
    /// <summary>Creates the suite of <paramref name="fileName"/>.</summary>
    private protected SynchronousVectorSuite(string fileName)
        : base(fileName)
    {
    }

    /// <inheritdoc/>
    public sealed override ValueTask<IReadOnlyList<JsonObject>> GenerateAsync() => ValueTask.FromResult<IReadOnlyList<JsonObject>>(Generate());

    /// <summary>The file's vectors, in file order, from the fixed seeds.</summary>
    private protected abstract List<JsonObject> Generate();

    /// <summary>Recomputes one vector of <paramref name="kind"/> named <paramref name="name"/> and compares it.</summary>
    private protected abstract void Verify(string kind, string name, JsonObject vector);

    /// <inheritdoc/>
    private protected sealed override ValueTask VerifyAsync(string kind, string name, JsonObject vector)
    {
        Verify(kind, name, vector);
        return ValueTask.CompletedTask;
    }
}
