using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Google.Protobuf;

namespace E2eChat.Ratchet;

/// <summary>
/// Keeps secrets that pass through protobuf messages in memory this library can wipe. When
/// serializing, <see cref="Wrap"/> copies a secret into a pinned arena and hands protobuf a view of
/// it (no copy protobuf owns); <see cref="Dispose"/> wipes the arena. When loading,
/// <see cref="Wipe"/> clears the byte strings the parser allocated once their contents were copied.
/// </summary>
internal sealed class ProtobufSecrets : IDisposable
{
    private const int ChunkLength = 16 * 1024;

    private readonly List<byte[]> _chunks = [];
    private byte[]? _current;
    private int _used;

    /// <summary>A byte string viewing a pinned copy of <paramref name="secret"/>, valid until disposal.</summary>
    /// <param name="secret">The secret bytes.</param>
    /// <returns>The byte string (empty for an empty secret).</returns>
    internal ByteString Wrap(ReadOnlySpan<byte> secret)
    {
        if (secret.IsEmpty)
        {
            return ByteString.Empty;
        }

        byte[] chunk;
        int offset;
        if (secret.Length > ChunkLength)
        {
            chunk = GC.AllocateArray<byte>(secret.Length, pinned: true);
            _chunks.Add(chunk);
            offset = 0;
        }
        else
        {
            if (_current is null || ChunkLength - _used < secret.Length)
            {
                _current = GC.AllocateArray<byte>(ChunkLength, pinned: true);
                _chunks.Add(_current);
                _used = 0;
            }

            chunk = _current;
            offset = _used;
            _used += secret.Length;
        }

        Memory<byte> memory = chunk.AsMemory(offset, secret.Length);
        secret.CopyTo(memory.Span);
        return UnsafeByteOperations.UnsafeWrap(memory);
    }

    /// <summary>Wipes a byte string that came from parsing (its contents were copied elsewhere).</summary>
    /// <param name="value">The parsed byte string.</param>
    internal static void Wipe(ByteString value)
    {
        if (value is { IsEmpty: false })
        {
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsMemory(value.Memory).Span);
        }
    }

    /// <summary>Wipes every secret handed out.</summary>
    public void Dispose()
    {
        foreach (byte[] chunk in _chunks)
        {
            CryptographicOperations.ZeroMemory(chunk);
        }

        _chunks.Clear();
        _current = null;
        _used = 0;
    }
}
