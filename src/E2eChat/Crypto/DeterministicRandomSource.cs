using System.Buffers.Binary;
using System.Security.Cryptography;

namespace E2eChat.Crypto;

/// <summary>
/// A reproducible byte stream for test vectors only: block <c>i</c> is
/// <c>HMAC-SHA256(seed, "E2eChat/v1/test-rng" || u64be(i))</c>, and requests consume the stream in
/// order. Never used outside vector generation and tests.
/// </summary>
internal sealed class DeterministicRandomSource : RandomSource, IDisposable
{
    private static readonly byte[] s_label = "E2eChat/v1/test-rng"u8.ToArray();
    private readonly SecretBuffer _seed;
    private readonly byte[] _block = new byte[HmacSha256.TagLength];
    private ulong _counter;
    private int _available;

    /// <summary>Creates a stream from a 32-byte seed.</summary>
    /// <param name="seed">The seed.</param>
    internal DeterministicRandomSource(ReadOnlySpan<byte> seed)
    {
        if (seed.Length != HmacSha256.KeyLength)
        {
            throw new ArgumentException("The seed must be 32 bytes.", nameof(seed));
        }

        _seed = new SecretBuffer(seed);
    }

    internal override void Fill(Span<byte> destination)
    {
        Span<byte> input = stackalloc byte[s_label.Length + sizeof(ulong)];
        while (!destination.IsEmpty)
        {
            if (_available == 0)
            {
                s_label.CopyTo(input);
                BinaryPrimitives.WriteUInt64BigEndian(input[s_label.Length..], _counter++);
                HmacSha256.Compute(_seed.Span, input, _block);
                _available = _block.Length;
            }

            int take = Math.Min(_available, destination.Length);
            _block.AsSpan(_block.Length - _available, take).CopyTo(destination);
            _available -= take;
            destination = destination[take..];
        }
    }

    /// <summary>Wipes the seed and the buffered block.</summary>
    public void Dispose()
    {
        _seed.Dispose();
        CryptographicOperations.ZeroMemory(_block);
    }
}
