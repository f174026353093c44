using System.Security.Cryptography;
using E2eChat.Crypto;

namespace E2eChat.Ratchet;

/// <summary>
/// A bounded table of skipped message keys in the order they were stored, oldest first, each with a
/// tag naming the message it opens: the one table behind the Double Ratchet's skipped keys
/// (<see cref="SkippedMessageKeys"/>, PROTOCOL.md section 5.5) and a sender-key record's
/// (<see cref="SenderKeySkippedKeys"/>, section 7). Storing a key in a full table evicts the oldest.
/// </summary>
/// <remarks>
/// Keys live in a ring of pinned memory that grows on demand, so an empty table costs almost
/// nothing. A removed key is wiped, and slots outside the live entries are always zero. Evicting the
/// oldest keys moves no other key; removing one from the middle moves the shorter side by one place.
/// The tag and the filters are struct type arguments, so the table calls them directly.
/// </remarks>
/// <typeparam name="TTag">What is kept beside each key.</typeparam>
internal abstract class SkippedKeyTable<TTag> : IDisposable
    where TTag : struct, ISkippedKeyTag<TTag>
{
    /// <summary>Length of a message key in bytes.</summary>
    internal const int KeyLength = ChainKdf.KeyLength;

    private const int InitialCapacity = 16;

    private readonly int _maxCount;
    private SecretBuffer _keys;
    private TTag[] _tags;
    private int _head;
    private int _count;

    /// <summary>Creates an empty table holding at most <paramref name="maxCount"/> keys.</summary>
    /// <param name="maxCount">The bound; at least 1.</param>
    protected SkippedKeyTable(int maxCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        _maxCount = maxCount;
        _keys = new SecretBuffer(0);
        _tags = [];
    }

    /// <summary>The number of keys held.</summary>
    internal int Count => _count;

    /// <summary>The most keys this table holds.</summary>
    internal int MaxCount => _maxCount;

    private int Capacity => _tags.Length;

    /// <summary>The message key of the entry at <paramref name="index"/> (0 = oldest).</summary>
    /// <param name="index">A logical index below <see cref="Count"/>.</param>
    /// <returns>The 32-byte key, valid until the table changes.</returns>
    internal ReadOnlySpan<byte> MessageKeyAt(int index) => KeySlot(Slot(CheckIndex(index)));

    /// <summary>
    /// Evicts (and wipes) the oldest entries so that <paramref name="incoming"/> more fit under the
    /// bound, moving no other entry.
    /// </summary>
    /// <param name="incoming">The number of keys about to be added (0 to <see cref="MaxCount"/>).</param>
    internal void MakeRoom(int incoming)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(incoming);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(incoming, _maxCount);
        int excess = _count + incoming - _maxCount;
        if (excess > 0)
        {
            RemoveOldest(excess);
        }
    }

    /// <summary>Removes the entry at <paramref name="index"/>, keeping the order of the others, and wipes its key.</summary>
    /// <param name="index">A logical index below <see cref="Count"/>.</param>
    internal void RemoveAt(int index)
    {
        CheckIndex(index);
        int last = _count - 1;
        if (index < last - index)
        {
            // Fewer entries before it: move those one place newer, then drop the oldest slot.
            for (int i = index; i > 0; i--)
            {
                CopyEntry(Slot(i - 1), Slot(i));
            }

            RemoveOldest(1);
            return;
        }

        for (int i = index; i < last; i++)
        {
            CopyEntry(Slot(i + 1), Slot(i));
        }

        WipeSlots(Slot(last), 1);
        _count = last;
    }

    /// <summary>Appends every entry of <paramref name="source"/>, oldest first, evicting as needed.</summary>
    /// <param name="source">Another table (the staged keys of a decryption).</param>
    internal void AddAll(SkippedKeyTable<TTag> source)
    {
        ArgumentNullException.ThrowIfNull(source);
        for (int i = 0; i < source._count; i++)
        {
            int slot = source.Slot(i);
            Add(source._tags[slot], source.KeySlot(slot));
        }
    }

    /// <summary>
    /// Wipes and removes every entry; the memory is kept for reuse. Costs time in the number of
    /// entries held, not the capacity.
    /// </summary>
    internal void Clear()
    {
        if (_keys.IsDisposed)
        {
            return;
        }

        WipeEntries(0, _count);
        _head = 0;
        _count = 0;
    }

    /// <summary>Wipes the keys and releases the memory.</summary>
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>The tag of the entry at <paramref name="index"/> (0 = oldest).</summary>
    /// <param name="index">A logical index below <see cref="Count"/>.</param>
    /// <returns>The tag.</returns>
    protected TTag TagAt(int index) => _tags[Slot(CheckIndex(index))];

    /// <summary>Finds the entry whose tag names the same message as <paramref name="message"/>.</summary>
    /// <param name="message">The tag looked for.</param>
    /// <returns>Its logical index, or -1.</returns>
    protected int IndexOf(in TTag message)
    {
        for (int i = 0; i < _count; i++)
        {
            if (_tags[Slot(i)].IsSameMessage(message))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Stores a key as the newest entry, evicting (and wiping) the oldest when full.</summary>
    /// <param name="tag">The entry's tag.</param>
    /// <param name="messageKey">The 32-byte message key.</param>
    protected void Add(in TTag tag, ReadOnlySpan<byte> messageKey)
    {
        ObjectDisposedException.ThrowIf(_keys.IsDisposed, this);
        Error.CheckLength(messageKey, KeyLength, nameof(messageKey));

        if (_count == _maxCount)
        {
            RemoveOldest(1);
        }
        else if (_count == Capacity)
        {
            Grow();
        }

        int slot = Slot(_count);
        _tags[slot] = tag;
        messageKey.CopyTo(KeySlot(slot));
        _count++;
    }

    /// <summary>
    /// Keeps the entries <paramref name="filter"/> keeps (with the tags it gives them), in order, and
    /// removes and wipes the others.
    /// </summary>
    /// <typeparam name="TFilter">The filter (a struct, so its calls are direct).</typeparam>
    /// <param name="filter">Decides each entry.</param>
    /// <returns>The number of entries removed.</returns>
    protected int RemoveWhere<TFilter>(TFilter filter)
        where TFilter : struct, ISkippedKeyFilter<TTag>
    {
        int kept = 0;
        for (int i = 0; i < _count; i++)
        {
            int from = Slot(i);
            TTag tag = _tags[from];
            if (!filter.Keep(ref tag))
            {
                continue;
            }

            int to = Slot(kept);
            if (to != from)
            {
                KeySlot(from).CopyTo(KeySlot(to));
            }

            _tags[to] = tag;
            kept++;
        }

        // Every slot from logical index kept on holds a removed key or one moved to a lower index.
        int removed = _count - kept;
        WipeEntries(kept, removed);
        _count = kept;
        return removed;
    }

    /// <summary>Wipes the keys and releases the memory when <paramref name="disposing"/>.</summary>
    /// <param name="disposing">Called from <see cref="Dispose()"/>.</param>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            _keys.Dispose();
            _count = 0;
            _head = 0;
        }
    }

    private int CheckIndex(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, _count);
        return index;
    }

    private int Slot(int index)
    {
        int slot = _head + index;
        return slot >= Capacity ? slot - Capacity : slot;
    }

    private Span<byte> KeySlot(int slot) => _keys.WritableSpan.Slice(slot * KeyLength, KeyLength);

    private void CopyEntry(int from, int to)
    {
        _tags[to] = _tags[from];
        KeySlot(from).CopyTo(KeySlot(to));
    }

    private void RemoveOldest(int length)
    {
        WipeEntries(0, length);
        _head = Slot(length);
        _count -= length;
        if (_count == 0)
        {
            _head = 0;
        }
    }

    /// <summary>Wipes the entries at logical indices <paramref name="start"/> to <paramref name="start"/> + <paramref name="length"/> - 1 (at most two runs of slots).</summary>
    private void WipeEntries(int start, int length)
    {
        if (length == 0)
        {
            return;
        }

        int first = Slot(start);
        int run = Math.Min(length, Capacity - first);
        WipeSlots(first, run);
        WipeSlots(0, length - run);
    }

    private void WipeSlots(int slot, int length)
    {
        CryptographicOperations.ZeroMemory(_keys.WritableSpan.Slice(slot * KeyLength, length * KeyLength));
        _tags.AsSpan(slot, length).Clear();
    }

    private void Grow()
    {
        int capacity = Math.Min(_maxCount, Math.Max(InitialCapacity, Capacity * 2));
        var keys = new SecretBuffer(capacity * KeyLength);
        var tags = new TTag[capacity];
        for (int i = 0; i < _count; i++)
        {
            int slot = Slot(i);
            KeySlot(slot).CopyTo(keys.WritableSpan.Slice(i * KeyLength, KeyLength));
            tags[i] = _tags[slot];
        }

        _keys.Dispose();
        _keys = keys;
        _tags = tags;
        _head = 0;
    }
}
