namespace E2eChat.Wire;

/// <summary>The padding buckets of PROTOCOL.md section 6, as the relay sees them: ciphertext lengths.</summary>
internal static class PaddingBuckets
{
    /// <summary>
    /// Whether <paramref name="length"/> is a padding bucket plus the 16-byte tag: a bucket is 64, a
    /// power of two up to 16384, or a multiple of 16384 up to 81920 (64, 128, ..., 16384, 32768,
    /// 49152, 65536, 81920).
    /// </summary>
    /// <param name="length">A ciphertext length.</param>
    /// <returns><see langword="true"/> when it is one of the thirteen valid lengths.</returns>
    internal static bool IsValidCiphertextLength(int length)
    {
        if (length < WireLimits.MinPaddedLength + WireLimits.AeadTagLength
            || length > WireLimits.MaxPaddedLength + WireLimits.AeadTagLength)
        {
            return false;
        }

        int bucket = length - WireLimits.AeadTagLength;
        return bucket <= WireLimits.PaddingStep
            ? (bucket & (bucket - 1)) == 0
            : bucket % WireLimits.PaddingStep == 0;
    }
}
