namespace E2eChat.Cli.Vectors;

/// <summary>
/// Hands out the bytes of an inner source (the seeded <see cref="DeterministicRandomSource"/>) and
/// remembers them, so the generator can write every random value a step consumed into its vector.
/// </summary>
internal sealed class RecordingRandomSource : RandomSource
{
    private readonly RandomSource _inner;
    private readonly List<byte> _recorded = [];

    /// <summary>Records what <paramref name="inner"/> hands out.</summary>
    internal RecordingRandomSource(RandomSource inner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        _inner = inner;
    }

    internal override void Fill(Span<byte> destination)
    {
        _inner.Fill(destination);
        _recorded.AddRange(destination);
    }

    /// <summary>The bytes handed out since the last call, in order; clears the record.</summary>
    internal byte[] TakeRecorded()
    {
        byte[] recorded = [.. _recorded];
        _recorded.Clear();
        return recorded;
    }
}
