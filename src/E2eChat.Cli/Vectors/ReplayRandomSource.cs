namespace E2eChat.Cli.Vectors;

/// <summary>
/// Feeds the random values recorded in a vector back to the implementation. In strict mode a draw
/// beyond the recorded bytes is a mismatch (the implementation consumed randomness the vector does
/// not record), and <see cref="EnsureConsumed"/> reports recorded bytes that were never drawn. In
/// filler mode (steps whose randomness is irrelevant, like a failing decryption) any draw is
/// answered with a fixed pattern.
/// </summary>
internal sealed class ReplayRandomSource : RandomSource
{
    private byte[] _bytes;
    private int _position;
    private bool _filler;

    /// <summary>A strict source over <paramref name="bytes"/>.</summary>
    internal ReplayRandomSource(ReadOnlySpan<byte> bytes)
    {
        _bytes = bytes.ToArray();
    }

    /// <summary>A filler source: every draw is answered with a fixed pattern.</summary>
    internal static ReplayRandomSource Filler()
    {
        var source = new ReplayRandomSource([]);
        source._filler = true;
        return source;
    }

    /// <summary>Replaces the pending bytes (strict mode) for the next step.</summary>
    internal void Load(ReadOnlySpan<byte> bytes)
    {
        _bytes = bytes.ToArray();
        _position = 0;
        _filler = false;
    }

    /// <summary>Switches to filler mode for the next step.</summary>
    internal void LoadFiller()
    {
        _bytes = [];
        _position = 0;
        _filler = true;
    }

    internal override void Fill(Span<byte> destination)
    {
        if (_filler)
        {
            destination.Fill(0x5a);
            return;
        }

        if (destination.Length > _bytes.Length - _position)
        {
            throw new VectorMismatchException(
                $"the implementation drew {destination.Length} random bytes, but the vector records only {_bytes.Length - _position} more");
        }

        _bytes.AsSpan(_position, destination.Length).CopyTo(destination);
        _position += destination.Length;
    }

    /// <summary>Throws when recorded bytes were left undrawn (strict mode).</summary>
    internal void EnsureConsumed(string field)
    {
        if (!_filler && _position != _bytes.Length)
        {
            throw new VectorMismatchException(
                $"{field}: the vector records {_bytes.Length} random bytes, the implementation drew {_position}");
        }
    }
}
