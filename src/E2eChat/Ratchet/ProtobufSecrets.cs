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
/// <remarks>
/// A session record is saved after every message, so the arena must not cost an allocation each
/// time: a fresh pinned array per save lands on the pinned object heap, which only a full (gen 2)
/// collection reclaims, and the collections and page commits it caused were most of the time of a
/// save. The first chunk is therefore borrowed from a per-thread spare and given back, wiped, on
/// <see cref="Dispose"/>; only the bytes actually handed out are wiped. A second arena alive on the
/// same thread (or a record whose secrets outgrow one chunk) allocates its own chunks as before.
/// </remarks>
internal sealed class ProtobufSecrets : IDisposable
{
    private const int ChunkLength = 16 * 1024;

    /// <summary>A wiped chunk for the next arena on this thread; <see langword="null"/> while borrowed.</summary>
    [ThreadStatic]
    private static byte[]? t_spare;

    private byte[]? _first;
    private List<(byte[] Chunk, int Used)>? _more;
    private byte[]? _current;
    private int _used;

    /// <summary>
    /// A byte string viewing a pinned copy of <paramref name="secret"/>, valid until disposal (after
    /// which its memory is wiped and may serve the next arena on this thread: do not keep it).
    /// </summary>
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
            (_more ??= []).Add((chunk, secret.Length));
            offset = 0;
        }
        else
        {
            if (_current is null || ChunkLength - _used < secret.Length)
            {
                StartChunk();
            }

            chunk = _current!;
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

    /// <summary>Wipes every secret handed out, and gives the first chunk back to this thread's spare.</summary>
    public void Dispose()
    {
        if (_current is not null && !ReferenceEquals(_current, _first))
        {
            CryptographicOperations.ZeroMemory(_current.AsSpan(0, _used));
        }

        if (_more is not null)
        {
            foreach ((byte[] chunk, int used) in _more)
            {
                CryptographicOperations.ZeroMemory(chunk.AsSpan(0, used));
            }

            _more = null;
        }

        if (_first is not null)
        {
            CryptographicOperations.ZeroMemory(_first.AsSpan(0, ReferenceEquals(_current, _first) ? _used : ChunkLength));
            t_spare ??= _first;
            _first = null;
        }

        _current = null;
        _used = 0;
    }

    /// <summary>Makes a fresh chunk current: the thread's spare for the first one, else a new pinned array.</summary>
    private void StartChunk()
    {
        if (_current is not null && !ReferenceEquals(_current, _first))
        {
            (_more ??= []).Add((_current, _used));
        }

        if (_first is null)
        {
            _first = t_spare ?? GC.AllocateArray<byte>(ChunkLength, pinned: true);
            t_spare = null;
            _current = _first;
        }
        else
        {
            _current = GC.AllocateArray<byte>(ChunkLength, pinned: true);
        }

        _used = 0;
    }
}
