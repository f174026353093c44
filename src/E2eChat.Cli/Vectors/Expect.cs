namespace E2eChat.Cli.Vectors;

/// <summary>Comparisons of recorded (expected) against computed values; a difference throws <see cref="VectorMismatchException"/>.</summary>
internal static class Expect
{
    /// <summary>The recorded bytes must equal the computed bytes.</summary>
    internal static void Equal(string field, ReadOnlySpan<byte> expected, ReadOnlySpan<byte> actual)
    {
        if (!expected.SequenceEqual(actual))
        {
            throw new VectorMismatchException($"{field}: the vector has {Hex.Abbreviate(expected)}, computed {Hex.Abbreviate(actual)}");
        }
    }

    /// <summary>The recorded text must equal the computed text.</summary>
    internal static void Equal(string field, string expected, string actual)
    {
        if (!string.Equals(expected, actual, StringComparison.Ordinal))
        {
            throw new VectorMismatchException($"{field}: the vector has '{expected}', computed '{actual}'");
        }
    }

    /// <summary>A condition the computation must satisfy.</summary>
    internal static void True(bool condition, string message)
    {
        if (!condition)
        {
            throw new VectorMismatchException(message);
        }
    }

    /// <summary>The recorded failure name must equal the computed one.</summary>
    internal static void Failure(string expected, string actual) => Equal("failure", expected, actual);

    /// <summary>Generation guard: the freshly computed vector must report <paramref name="failure"/>.</summary>
    /// <returns>The vector.</returns>
    internal static JsonObject Fails(JsonObject vector, string failure)
    {
        string actual = VectorJson.String(vector, "failure");
        if (actual != failure)
        {
            throw new InvalidOperationException($"{VectorJson.String(vector, "name")}: expected {failure}, the implementation reports {actual}");
        }

        return vector;
    }
}
