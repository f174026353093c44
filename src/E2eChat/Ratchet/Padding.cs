using System.Numerics;

namespace E2eChat.Ratchet;

/// <summary>
/// Payload padding (PROTOCOL.md section 6): <c>m || 0x80 || zeros</c> up to a bucket of 64 bytes,
/// the next power of two up to 16384, then multiples of 16384. The relay learns only the bucket.
/// </summary>
internal static class Padding
{
    /// <summary>The smallest bucket.</summary>
    internal const int MinimumBucket = 64;

    /// <summary>Up to this length buckets are powers of two; above it, multiples of it.</summary>
    internal const int LargeBucketStep = 16384;

    /// <summary>The largest bucket: that of a <see cref="ProtocolLimits.MaxPlaintextLength"/>-byte plaintext.</summary>
    internal const int MaximumBucket = (ProtocolLimits.MaxPlaintextLength + 1 + LargeBucketStep - 1) / LargeBucketStep * LargeBucketStep;

    private const byte Marker = 0x80;

    /// <summary>The padded length of a plaintext of <paramref name="plaintextLength"/> bytes.</summary>
    /// <param name="plaintextLength">0 to <see cref="ProtocolLimits.MaxPlaintextLength"/>.</param>
    /// <returns>The bucket.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The length is negative or above the maximum.</exception>
    internal static int GetPaddedLength(int plaintextLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(plaintextLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(plaintextLength, ProtocolLimits.MaxPlaintextLength);
        int length = plaintextLength + 1;
        if (length <= MinimumBucket)
        {
            return MinimumBucket;
        }

        if (length <= LargeBucketStep)
        {
            return (int)BitOperations.RoundUpToPowerOf2((uint)length);
        }

        return (length + LargeBucketStep - 1) / LargeBucketStep * LargeBucketStep;
    }

    /// <summary>Whether <paramref name="paddedLength"/> is one of the buckets.</summary>
    /// <param name="paddedLength">A candidate padded length (a ciphertext length minus 16).</param>
    /// <returns><see langword="true"/> for 64, 128, ..., 16384, 32768, 49152, 65536, 81920.</returns>
    internal static bool IsBucket(int paddedLength)
    {
        if (paddedLength < MinimumBucket || paddedLength > MaximumBucket)
        {
            return false;
        }

        return paddedLength <= LargeBucketStep
            ? BitOperations.IsPow2(paddedLength)
            : paddedLength % LargeBucketStep == 0;
    }

    /// <summary>Writes <c>Pad(plaintext)</c> into <paramref name="destination"/>.</summary>
    /// <param name="plaintext">The plaintext; may overlap the start of <paramref name="destination"/>.</param>
    /// <param name="destination">Exactly <see cref="GetPaddedLength"/> bytes.</param>
    internal static void Pad(ReadOnlySpan<byte> plaintext, Span<byte> destination)
    {
        int padded = GetPaddedLength(plaintext.Length);
        if (destination.Length != padded)
        {
            throw Error.WrongLength(padded, nameof(destination));
        }

        plaintext.CopyTo(destination);
        destination[plaintext.Length] = Marker;
        destination[(plaintext.Length + 1)..].Clear();
    }

    /// <summary>
    /// Strips trailing zero bytes and then exactly one 0x80; anything else is invalid padding.
    /// </summary>
    /// <param name="padded">The padded plaintext.</param>
    /// <param name="plaintextLength">The length of the plaintext at the start of <paramref name="padded"/>.</param>
    /// <returns><see langword="false"/> when the padding is invalid.</returns>
    internal static bool TryUnpad(ReadOnlySpan<byte> padded, out int plaintextLength)
    {
        int marker = padded.LastIndexOfAnyExcept((byte)0);
        if (marker < 0 || padded[marker] != Marker)
        {
            plaintextLength = 0;
            return false;
        }

        plaintextLength = marker;
        return true;
    }
}
