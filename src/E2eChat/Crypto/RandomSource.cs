namespace E2eChat.Crypto;

/// <summary>
/// Where the protocol's randomness comes from: the operating system's CSPRNG (via libsodium's
/// <c>randombytes_buf</c>) in production, a seeded deterministic stream when generating the
/// published test vectors.
/// </summary>
internal abstract class RandomSource
{
    /// <summary>The system CSPRNG; the default everywhere.</summary>
    internal static RandomSource System { get; } = new SystemRandomSource();

    /// <summary>Fills <paramref name="destination"/> with random bytes.</summary>
    /// <param name="destination">The span to fill.</param>
    internal abstract void Fill(Span<byte> destination);

    private sealed class SystemRandomSource : RandomSource
    {
        internal override unsafe void Fill(Span<byte> destination)
        {
            Sodium.EnsureInitialized();
            fixed (byte* p = destination)
            {
                Sodium.randombytes_buf(p, (nuint)destination.Length);
            }
        }
    }
}
