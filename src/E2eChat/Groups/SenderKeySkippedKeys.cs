using System.Security.Cryptography;
using E2eChat.Crypto;
using E2eChat.Ratchet;

namespace E2eChat;

/// <summary>
/// The skipped message keys of one sender-key record (PROTOCOL.md section 7), across its generations,
/// in the order they were stored, oldest first. Each is tagged with its generation's chain id, its
/// iteration and the time after which it is deleted as expired (0 = never). At most
/// <see cref="ProtocolLimits.MaxSenderKeySkippedKeys"/> are held; storing more evicts the oldest.
/// </summary>
/// <remarks>
/// Keys live in pinned memory that grows on demand and is wiped on removal and disposal. Entries are
/// kept contiguous: removing entries shifts the later ones down once, so a batch of evictions costs
/// one move (<see cref="MakeRoom"/>).
/// </remarks>
internal sealed class SenderKeySkippedKeys : IDisposable
{
    /// <summary>Length of a message key in bytes.</summary>
    internal const int KeyLength = ChainKdf.KeyLength;

    private const int InitialCapacity = 16;

    private readonly int _maxCount;
    private SecretBuffer _keys;
    private uint[] _chainIds;
    private uint[] _iterations;
    private ulong[] _deleteAfter;
    private int _count;

    /// <summary>Creates an empty store holding at most <see cref="ProtocolLimits.MaxSenderKeySkippedKeys"/> keys.</summary>
    internal SenderKeySkippedKeys()
        : this(ProtocolLimits.MaxSenderKeySkippedKeys)
    {
    }

    /// <summary>Creates an empty store holding at most <paramref name="maxCount"/> keys.</summary>
    /// <param name="maxCount">The bound; at least 1.</param>
    internal SenderKeySkippedKeys(int maxCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        _maxCount = maxCount;
        _keys = new SecretBuffer(0);
        _chainIds = [];
        _iterations = [];
        _deleteAfter = [];
    }

    /// <summary>The number of keys held.</summary>
    internal int Count => _count;

    /// <summary>The most keys this store holds.</summary>
    internal int MaxCount => _maxCount;

    private int Capacity => _chainIds.Length;

    /// <summary>The chain id of the entry at <paramref name="index"/> (0 = oldest).</summary>
    /// <param name="index">An index below <see cref="Count"/>.</param>
    /// <returns>The chain id.</returns>
    internal uint ChainIdAt(int index) => _chainIds[CheckIndex(index)];

    /// <summary>The iteration of the entry at <paramref name="index"/>.</summary>
    /// <param name="index">An index below <see cref="Count"/>.</param>
    /// <returns>The iteration.</returns>
    internal uint IterationAt(int index) => _iterations[CheckIndex(index)];

    /// <summary>When the entry at <paramref name="index"/> is deleted as expired; 0 = never.</summary>
    /// <param name="index">An index below <see cref="Count"/>.</param>
    /// <returns>Milliseconds since the Unix epoch, or 0.</returns>
    internal ulong DeleteAfterAt(int index) => _deleteAfter[CheckIndex(index)];

    /// <summary>The message key of the entry at <paramref name="index"/>.</summary>
    /// <param name="index">An index below <see cref="Count"/>.</param>
    /// <returns>The 32-byte key, valid until the store changes.</returns>
    internal ReadOnlySpan<byte> MessageKeyAt(int index) => KeySlot(CheckIndex(index));

    /// <summary>Finds the key stored for (<paramref name="chainId"/>, <paramref name="iteration"/>).</summary>
    /// <param name="chainId">The generation's chain id.</param>
    /// <param name="iteration">The iteration.</param>
    /// <returns>Its index, or -1.</returns>
    internal int IndexOf(uint chainId, uint iteration)
    {
        for (int i = 0; i < _count; i++)
        {
            if (_iterations[i] == iteration && _chainIds[i] == chainId)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>
    /// Evicts (and wipes) the oldest entries so that <paramref name="incoming"/> more fit under the
    /// bound, in one move.
    /// </summary>
    /// <param name="incoming">The number of keys about to be added (0 to <see cref="MaxCount"/>).</param>
    internal void MakeRoom(int incoming)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(incoming);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(incoming, _maxCount);
        int excess = _count + incoming - _maxCount;
        if (excess > 0)
        {
            RemoveRange(0, excess);
        }
    }

    /// <summary>Stores a key as the newest entry, evicting (and wiping) the oldest when full.</summary>
    /// <param name="chainId">The generation's chain id.</param>
    /// <param name="iteration">The iteration.</param>
    /// <param name="deleteAfter">When the key is deleted as expired; 0 = never.</param>
    /// <param name="messageKey">The 32-byte message key.</param>
    internal void Add(uint chainId, uint iteration, ulong deleteAfter, ReadOnlySpan<byte> messageKey)
    {
        ObjectDisposedException.ThrowIf(_keys.IsDisposed, this);
        Error.CheckLength(messageKey, KeyLength, nameof(messageKey));

        if (_count == _maxCount)
        {
            RemoveRange(0, 1);
        }
        else if (_count == Capacity)
        {
            Grow();
        }

        _chainIds[_count] = chainId;
        _iterations[_count] = iteration;
        _deleteAfter[_count] = deleteAfter;
        messageKey.CopyTo(KeySlot(_count));
        _count++;
    }

    /// <summary>Removes (and wipes) the entry at <paramref name="index"/>, keeping the order of the others.</summary>
    /// <param name="index">An index below <see cref="Count"/>.</param>
    internal void RemoveAt(int index) => RemoveRange(CheckIndex(index), 1);

    /// <summary>Removes every key of the generation <paramref name="chainId"/> (evicted or replaced).</summary>
    /// <param name="chainId">The chain id.</param>
    /// <returns>The number of keys removed.</returns>
    internal int RemoveChain(uint chainId) => RemoveWhere(chainId, 0, byChain: true);

    /// <summary>Removes every key whose deletion time is set and not after <paramref name="nowMilliseconds"/>.</summary>
    /// <param name="nowMilliseconds">The receiver's clock, milliseconds since the Unix epoch.</param>
    /// <returns>The number of keys removed.</returns>
    internal int RemoveExpired(ulong nowMilliseconds) => RemoveWhere(0, nowMilliseconds, byChain: false);

    /// <summary>Wipes the keys and releases the memory.</summary>
    public void Dispose()
    {
        _keys.Dispose();
        _count = 0;
    }

    private int CheckIndex(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, _count);
        return index;
    }

    private Span<byte> KeySlot(int slot) => _keys.WritableSpan.Slice(slot * KeyLength, KeyLength);

    private int RemoveWhere(uint chainId, ulong nowMilliseconds, bool byChain)
    {
        int kept = 0;
        for (int i = 0; i < _count; i++)
        {
            bool remove = byChain
                ? _chainIds[i] == chainId
                : _deleteAfter[i] != 0 && _deleteAfter[i] <= nowMilliseconds;
            if (remove)
            {
                continue;
            }

            if (kept != i)
            {
                Move(i, kept);
            }

            kept++;
        }

        int removed = _count - kept;
        Wipe(kept, removed);
        _count = kept;
        return removed;
    }

    private void RemoveRange(int start, int length)
    {
        int tail = _count - start - length;
        if (tail > 0)
        {
            _chainIds.AsSpan(start + length, tail).CopyTo(_chainIds.AsSpan(start));
            _iterations.AsSpan(start + length, tail).CopyTo(_iterations.AsSpan(start));
            _deleteAfter.AsSpan(start + length, tail).CopyTo(_deleteAfter.AsSpan(start));
            Span<byte> keys = _keys.WritableSpan;
            keys.Slice((start + length) * KeyLength, tail * KeyLength).CopyTo(keys[(start * KeyLength)..]);
        }

        _count -= length;
        Wipe(_count, length);
    }

    private void Move(int from, int to)
    {
        _chainIds[to] = _chainIds[from];
        _iterations[to] = _iterations[from];
        _deleteAfter[to] = _deleteAfter[from];
        KeySlot(from).CopyTo(KeySlot(to));
    }

    /// <summary>Wipes <paramref name="length"/> slots from <paramref name="start"/> (slots past the live entries stay zero).</summary>
    private void Wipe(int start, int length)
    {
        if (length == 0)
        {
            return;
        }

        CryptographicOperations.ZeroMemory(_keys.WritableSpan.Slice(start * KeyLength, length * KeyLength));
        _chainIds.AsSpan(start, length).Clear();
        _iterations.AsSpan(start, length).Clear();
        _deleteAfter.AsSpan(start, length).Clear();
    }

    private void Grow()
    {
        int capacity = Math.Min(_maxCount, Math.Max(InitialCapacity, Capacity * 2));
        var keys = new SecretBuffer(capacity * KeyLength);
        _keys.Span[..(_count * KeyLength)].CopyTo(keys.WritableSpan);
        Array.Resize(ref _chainIds, capacity);
        Array.Resize(ref _iterations, capacity);
        Array.Resize(ref _deleteAfter, capacity);
        _keys.Dispose();
        _keys = keys;
    }
}
