using System.Security.Cryptography;
using E2eChat.Crypto;

namespace E2eChat.Ratchet;

/// <summary>
/// Skipped message keys of one session state (PROTOCOL.md section 5.5), in the order they were
/// stored, oldest first, each tagged with its receiving chain and counter. At most
/// <see cref="ProtocolLimits.MaxSkippedMessageKeys"/> are held; adding one more evicts the oldest.
/// </summary>
/// <remarks>
/// A chain is named by its position in the receiver-chain history: 0 is the current receiving
/// chain (header key HKr), <c>k</c> the k-th previous chain, newest first (see
/// <see cref="ReceiverChainHistory"/>). When a new receiving chain starts, every position moves up
/// by one (<see cref="ShiftChains"/>). Keys live in a ring of pinned, wiped memory that grows on
/// demand, so an empty store costs almost nothing.
/// </remarks>
internal sealed class SkippedMessageKeys : IDisposable
{
    /// <summary>Length of a message key in bytes.</summary>
    internal const int KeyLength = ChainKdf.KeyLength;

    private const int InitialCapacity = 16;

    private readonly int _maxCount;
    private SecretBuffer _keys;
    private uint[] _counters;
    private byte[] _chains;
    private int _head;
    private int _count;

    /// <summary>Creates an empty store holding at most <see cref="ProtocolLimits.MaxSkippedMessageKeys"/> keys.</summary>
    internal SkippedMessageKeys()
        : this(ProtocolLimits.MaxSkippedMessageKeys)
    {
    }

    /// <summary>Creates an empty store holding at most <paramref name="maxCount"/> keys.</summary>
    /// <param name="maxCount">The bound; at least 1.</param>
    internal SkippedMessageKeys(int maxCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        _maxCount = maxCount;
        _keys = new SecretBuffer(0);
        _counters = [];
        _chains = [];
    }

    /// <summary>The number of keys held.</summary>
    internal int Count => _count;

    /// <summary>The most keys this store holds.</summary>
    internal int MaxCount => _maxCount;

    private int Capacity => _counters.Length;

    /// <summary>The chain position of the entry at <paramref name="index"/> (0 = oldest).</summary>
    /// <param name="index">A logical index below <see cref="Count"/>.</param>
    /// <returns>The chain position.</returns>
    internal int ChainAt(int index) => _chains[Slot(index)];

    /// <summary>The counter of the entry at <paramref name="index"/> (0 = oldest).</summary>
    /// <param name="index">A logical index below <see cref="Count"/>.</param>
    /// <returns>The message counter.</returns>
    internal uint CounterAt(int index) => _counters[Slot(index)];

    /// <summary>The message key of the entry at <paramref name="index"/> (0 = oldest).</summary>
    /// <param name="index">A logical index below <see cref="Count"/>.</param>
    /// <returns>The 32-byte key, valid until the store changes.</returns>
    internal ReadOnlySpan<byte> MessageKeyAt(int index) => KeySlot(Slot(index));

    /// <summary>Finds the key stored for (<paramref name="chain"/>, <paramref name="counter"/>).</summary>
    /// <param name="chain">The chain position.</param>
    /// <param name="counter">The message counter.</param>
    /// <returns>Its logical index, or -1.</returns>
    internal int IndexOf(int chain, uint counter)
    {
        for (int i = 0; i < _count; i++)
        {
            int slot = Slot(i);
            if (_counters[slot] == counter && _chains[slot] == chain)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Stores a key as the newest entry, evicting (and wiping) the oldest when full.</summary>
    /// <param name="chain">The chain position (0 to 255).</param>
    /// <param name="counter">The message counter.</param>
    /// <param name="messageKey">The 32-byte message key.</param>
    internal void Add(int chain, uint counter, ReadOnlySpan<byte> messageKey)
    {
        ObjectDisposedException.ThrowIf(_keys.IsDisposed, this);
        ArgumentOutOfRangeException.ThrowIfNegative(chain);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(chain, byte.MaxValue);
        Error.CheckLength(messageKey, KeyLength, nameof(messageKey));

        if (_count == _maxCount)
        {
            RemoveOldest();
        }
        else if (_count == Capacity)
        {
            Grow();
        }

        int slot = Slot(_count);
        _chains[slot] = (byte)chain;
        _counters[slot] = counter;
        messageKey.CopyTo(KeySlot(slot));
        _count++;
    }

    /// <summary>Removes the entry at <paramref name="index"/>, keeping the order of the others, and wipes its key.</summary>
    /// <param name="index">A logical index below <see cref="Count"/>.</param>
    internal void RemoveAt(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, _count);
        if (index == 0)
        {
            RemoveOldest();
            return;
        }

        for (int i = index; i < _count - 1; i++)
        {
            Move(Slot(i + 1), Slot(i));
        }

        _count--;
        Wipe(Slot(_count));
    }

    /// <summary>
    /// Moves every entry one chain position up (a new receiving chain became current) and drops the
    /// entries whose position reaches <paramref name="chainLimit"/> (a chain no longer remembered).
    /// </summary>
    /// <param name="chainLimit">The number of chains remembered, <see cref="ProtocolLimits.MaxReceiverChains"/>.</param>
    internal void ShiftChains(int chainLimit)
    {
        int kept = 0;
        for (int i = 0; i < _count; i++)
        {
            int from = Slot(i);
            int chain = _chains[from] + 1;
            if (chain >= chainLimit)
            {
                Wipe(from);
                continue;
            }

            int to = Slot(kept);
            if (to != from)
            {
                Move(from, to);
            }

            _chains[to] = (byte)chain;
            kept++;
        }

        _count = kept;
    }

    /// <summary>Appends every entry of <paramref name="source"/>, oldest first, evicting as needed.</summary>
    /// <param name="source">Another store (the staged keys of a decryption).</param>
    internal void AddAll(SkippedMessageKeys source)
    {
        ArgumentNullException.ThrowIfNull(source);
        for (int i = 0; i < source._count; i++)
        {
            int slot = source.Slot(i);
            Add(source._chains[slot], source._counters[slot], source.KeySlot(slot));
        }
    }

    /// <summary>
    /// Wipes and removes every entry; the memory is kept for reuse. Costs time in the number of
    /// entries held, not the capacity: slots outside the live entries are always zero.
    /// </summary>
    internal void Clear()
    {
        if (_keys.IsDisposed)
        {
            return;
        }

        for (int i = 0; i < _count; i++)
        {
            Wipe(Slot(i));
        }

        _head = 0;
        _count = 0;
    }

    /// <summary>Wipes the keys and releases the memory.</summary>
    public void Dispose()
    {
        _keys.Dispose();
        _count = 0;
        _head = 0;
    }

    private int Slot(int index)
    {
        int slot = _head + index;
        return slot >= Capacity ? slot - Capacity : slot;
    }

    private Span<byte> KeySlot(int slot) => _keys.WritableSpan.Slice(slot * KeyLength, KeyLength);

    private void Move(int from, int to)
    {
        _chains[to] = _chains[from];
        _counters[to] = _counters[from];
        KeySlot(from).CopyTo(KeySlot(to));
        Wipe(from);
    }

    private void Wipe(int slot)
    {
        CryptographicOperations.ZeroMemory(KeySlot(slot));
        _counters[slot] = 0;
        _chains[slot] = 0;
    }

    private void RemoveOldest()
    {
        Wipe(_head);
        _head = _head + 1 == Capacity ? 0 : _head + 1;
        _count--;
        if (_count == 0)
        {
            _head = 0;
        }
    }

    private void Grow()
    {
        int capacity = Math.Min(_maxCount, Math.Max(InitialCapacity, Capacity * 2));
        var keys = new SecretBuffer(capacity * KeyLength);
        uint[] counters = new uint[capacity];
        byte[] chains = new byte[capacity];
        for (int i = 0; i < _count; i++)
        {
            int slot = Slot(i);
            KeySlot(slot).CopyTo(keys.WritableSpan.Slice(i * KeyLength, KeyLength));
            counters[i] = _counters[slot];
            chains[i] = _chains[slot];
        }

        _keys.Dispose();
        _keys = keys;
        _counters = counters;
        _chains = chains;
        _head = 0;
    }
}
