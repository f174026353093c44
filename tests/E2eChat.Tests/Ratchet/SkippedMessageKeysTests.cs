using E2eChat.Ratchet;

namespace E2eChat.Tests.Ratchet;

public sealed class SkippedMessageKeysTests
{
    private static byte[] Key(int value)
    {
        byte[] key = new byte[32];
        BitConverter.TryWriteBytes(key, value);
        key[31] = 0xEE;
        return key;
    }

    private static List<(int Chain, uint Counter)> Entries(SkippedMessageKeys store)
    {
        var entries = new List<(int, uint)>();
        for (int i = 0; i < store.Count; i++)
        {
            entries.Add((store.ChainAt(i), store.CounterAt(i)));
            Assert.Equal(Key((store.ChainAt(i) * 100_000) + (int)store.CounterAt(i)), store.MessageKeyAt(i).ToArray());
        }

        return entries;
    }

    private static void Add(SkippedMessageKeys store, int chain, uint counter) =>
        store.Add(chain, counter, Key((chain * 100_000) + (int)counter));

    [Fact]
    public void Add_Entries_KeptOldestFirstAndFound()
    {
        using var store = new SkippedMessageKeys();
        Add(store, 0, 5);
        Add(store, 1, 2);
        Add(store, 0, 6);
        Assert.Equal([(0, 5u), (1, 2u), (0, 6u)], Entries(store));
        Assert.Equal(1, store.IndexOf(1, 2));
        Assert.Equal(-1, store.IndexOf(0, 2));
        Assert.Equal(-1, store.IndexOf(2, 5));
    }

    [Fact]
    public void Add_BeyondMaximum_EvictsOldestFirst()
    {
        using var store = new SkippedMessageKeys();
        Assert.Equal(ProtocolLimits.MaxSkippedMessageKeys, store.MaxCount);
        for (uint i = 0; i < ProtocolLimits.MaxSkippedMessageKeys + 10; i++)
        {
            Add(store, 0, i);
        }

        Assert.Equal(ProtocolLimits.MaxSkippedMessageKeys, store.Count);
        for (uint i = 0; i < 10; i++)
        {
            Assert.Equal(-1, store.IndexOf(0, i));
        }

        Assert.Equal(0, store.IndexOf(0, 10));
        Assert.Equal(10u, store.CounterAt(0));
        Assert.Equal((uint)ProtocolLimits.MaxSkippedMessageKeys + 9, store.CounterAt(store.Count - 1));
        _ = Entries(store);
    }

    [Fact]
    public void RemoveAt_MiddleOfWrappedRing_KeepsOrder()
    {
        using var store = new SkippedMessageKeys(8);
        for (uint i = 0; i < 13; i++)
        {
            Add(store, 0, i); // wraps the ring: holds 5..12
        }

        store.RemoveAt(store.IndexOf(0, 9));
        store.RemoveAt(store.IndexOf(0, 5));
        store.RemoveAt(store.IndexOf(0, 12));
        Assert.Equal([(0, 6u), (0, 7u), (0, 8u), (0, 10u), (0, 11u)], Entries(store));
        Add(store, 2, 1);
        Add(store, 2, 2);
        Add(store, 2, 3);
        Add(store, 2, 4);
        Assert.Equal([(0, 7u), (0, 8u), (0, 10u), (0, 11u), (2, 1u), (2, 2u), (2, 3u), (2, 4u)], Entries(store));
    }

    [Fact]
    public void ShiftChains_AtLimit_DropsOldestChainKeepsOrder()
    {
        using var store = new SkippedMessageKeys();
        Add(store, 4, 1);
        Add(store, 0, 1);
        Add(store, 3, 1);
        Add(store, 4, 2);
        Add(store, 1, 7);
        store.ShiftChains(ProtocolLimits.MaxReceiverChains);
        Assert.Equal(3, store.Count);
        Assert.Equal(1, store.ChainAt(0));
        Assert.Equal(4, store.ChainAt(1));
        Assert.Equal(2, store.ChainAt(2));
        Assert.Equal(1u, store.CounterAt(0));
        Assert.Equal(1u, store.CounterAt(1));
        Assert.Equal(7u, store.CounterAt(2));
    }

    [Fact]
    public void Grow_WrappedRing_PreservesOrder()
    {
        using var store = new SkippedMessageKeys();
        for (uint i = 0; i < 16; i++)
        {
            Add(store, 0, i);
        }

        store.RemoveAt(0);
        store.RemoveAt(0);
        for (uint i = 16; i < 40; i++)
        {
            Add(store, 1, i);
        }

        var entries = Entries(store);
        Assert.Equal(38, entries.Count);
        Assert.Equal((0, 2u), entries[0]);
        Assert.Equal((1, 39u), entries[^1]);
    }

    [Fact]
    public void AddAll_OtherStore_AppendsInOrderWithEviction()
    {
        using var target = new SkippedMessageKeys(4);
        using var staged = new SkippedMessageKeys(4);
        Add(target, 1, 1);
        Add(target, 1, 2);
        Add(staged, 0, 1);
        Add(staged, 0, 2);
        Add(staged, 0, 3);
        target.AddAll(staged);
        Assert.Equal([(1, 2u), (0, 1u), (0, 2u), (0, 3u)], Entries(target));
    }

    [Fact]
    public void Clear_Entries_RemovesAll()
    {
        using var store = new SkippedMessageKeys();
        Add(store, 0, 1);
        store.Clear();
        Assert.Equal(0, store.Count);
        Assert.Equal(-1, store.IndexOf(0, 1));
    }

    [Fact]
    public void Add_AfterDispose_Throws()
    {
        var store = new SkippedMessageKeys();
        store.Dispose();
        Assert.Throws<ObjectDisposedException>(() => Add(store, 0, 1));
    }
}
