namespace E2eChat.Cli.Vectors;

/// <summary>Compares a vector with the one recomputed from its inputs, field by field.</summary>
internal static class Outputs
{
    /// <summary>
    /// Every field of <paramref name="computed"/> must be in <paramref name="vector"/> with the same
    /// value, and the vector must have no other field.
    /// </summary>
    internal static void Compare(JsonObject vector, JsonObject computed)
    {
        ArgumentNullException.ThrowIfNull(vector);
        ArgumentNullException.ThrowIfNull(computed);
        foreach ((string field, JsonNode? expected) in computed)
        {
            if (!vector.TryGetPropertyValue(field, out JsonNode? recorded))
            {
                throw new VectorFormatException($"missing field '{field}'");
            }

            if (!JsonNode.DeepEquals(recorded, expected))
            {
                throw new VectorMismatchException($"{field}: the vector has {Show(recorded)}, computed {Show(expected)}");
            }
        }

        foreach ((string field, _) in vector)
        {
            if (!computed.ContainsKey(field))
            {
                throw new VectorFormatException($"unexpected field '{field}'");
            }
        }
    }

    private static string Show(JsonNode? node)
    {
        string text = node?.ToJsonString() ?? "null";
        return text.Length <= 80 ? text : $"{text[..77]}...";
    }
}
