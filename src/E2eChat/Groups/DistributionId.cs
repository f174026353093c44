using System.Buffers.Binary;
using E2eChat.Crypto;

namespace E2eChat;

/// <summary>
/// Names one audience of a sender's broadcasts (PROTOCOL.md section 7): 16 random bytes, the same for
/// every generation of the sender key. It is opaque and public by design (the relay sees it on every
/// post), so it reveals nothing beyond which posts go to the same audience.
/// </summary>
public readonly record struct DistributionId
{
    /// <summary>The length of a distribution id in bytes.</summary>
    public const int Length = 16;

    private readonly ulong _high;
    private readonly ulong _low;

    /// <summary>Creates a distribution id from its 16 bytes.</summary>
    /// <param name="bytes">Exactly <see cref="Length"/> bytes.</param>
    /// <exception cref="ArgumentException"><paramref name="bytes"/> is not 16 bytes long.</exception>
    public DistributionId(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Length)
        {
            throw new ArgumentException($"A distribution id is {Length} bytes.", nameof(bytes));
        }

        _high = BinaryPrimitives.ReadUInt64BigEndian(bytes);
        _low = BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]);
    }

    /// <summary>Writes the 16 bytes into <paramref name="destination"/>.</summary>
    /// <param name="destination">At least <see cref="Length"/> bytes; the id goes to its start.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short.</exception>
    public void CopyTo(Span<byte> destination)
    {
        Error.CheckMinimumLength(destination, Length, nameof(destination));

        BinaryPrimitives.WriteUInt64BigEndian(destination, _high);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], _low);
    }

    /// <summary>The 16 bytes as a new array.</summary>
    /// <returns>A copy of the id.</returns>
    public byte[] ToArray()
    {
        byte[] bytes = new byte[Length];
        CopyTo(bytes);
        return bytes;
    }

    /// <summary>The id as 32 lowercase hexadecimal digits.</summary>
    /// <returns>The hexadecimal form.</returns>
    public override string ToString() => $"{_high:x16}{_low:x16}";

    /// <summary>Draws a new random distribution id.</summary>
    /// <param name="random">The randomness source.</param>
    /// <returns>The id.</returns>
    internal static DistributionId Create(RandomSource random)
    {
        ArgumentNullException.ThrowIfNull(random);
        Span<byte> bytes = stackalloc byte[Length];
        random.Fill(bytes);
        return new DistributionId(bytes);
    }

    /// <summary>Whether <paramref name="bytes"/> are this id's bytes.</summary>
    /// <param name="bytes">Candidate bytes (any length).</param>
    /// <returns><see langword="true"/> when they are the same 16 bytes.</returns>
    internal bool Matches(ReadOnlySpan<byte> bytes) =>
        bytes.Length == Length
        && BinaryPrimitives.ReadUInt64BigEndian(bytes) == _high
        && BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]) == _low;
}
