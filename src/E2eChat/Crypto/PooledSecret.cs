using System.Buffers;
using System.Security.Cryptography;

namespace E2eChat.Crypto;

/// <summary>
/// A scratch span for a secret, rented from the shared array pool and, on <see cref="Dispose"/>,
/// wiped and returned: the <c>byte[]</c> convenience forms decrypt into one and copy out only the
/// plaintext, so the pool never hands a secret to its next renter.
/// </summary>
internal readonly ref struct PooledSecret
{
    private readonly byte[] _rented;
    private readonly int _length;

    /// <summary>Rents at least <paramref name="length"/> bytes.</summary>
    /// <param name="length">The length of <see cref="Span"/>; must not be negative.</param>
    internal PooledSecret(int length)
    {
        _rented = ArrayPool<byte>.Shared.Rent(length);
        _length = length;
    }

    /// <summary>The first <c>length</c> bytes of the rented array.</summary>
    internal Span<byte> Span => _rented.AsSpan(0, _length);

    /// <summary>Wipes <see cref="Span"/> and returns the array to the pool.</summary>
    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(Span);
        ArrayPool<byte>.Shared.Return(_rented);
    }
}
