
namespace E2eChat.Tests.Groups;

public sealed class SenderKeySkippedKeysTests
{
    [Fact]
    public void Add_ThenIndexOf_FindsByChainAndIteration()
    {
        using var keys = new SenderKeySkippedKeys();
        keys.Add(1, 5, 0, Key(1));
        keys.Add(2, 5, 7, Key(2));
        keys.Add(1, 6, 0, Key(3));
        Assert.Equal(3, keys.Count);
        Assert.Equal(1, keys.IndexOf(2, 5));
        Assert.Equal(-1, keys.IndexOf(2, 6));
        Assert.Equal(Key(2), keys.MessageKeyAt(1).ToArray());
        Assert.Equal(7ul, keys.DeleteAfterAt(1));
        Assert.Equal(2u, keys.ChainIdAt(1));
        Assert.Equal(5u, keys.IterationAt(1));
    }

    [Fact]
    public void Add_Full_EvictsOldest()
    {
        using var keys = new SenderKeySkippedKeys(3);
        for (uint i = 0; i < 5; i++)
        {
            keys.Add(1, i, 0, Key((byte)i));
        }

        Assert.Equal(3, keys.Count);
        Assert.Equal([2u, 3u, 4u], Iterations(keys));
        Assert.Equal(Key(2), keys.MessageKeyAt(0).ToArray());
    }

    [Fact]
    public void MakeRoom_EvictsJustEnoughOldest()
    {
        using var keys = new SenderKeySkippedKeys(5);
        for (uint i = 0; i < 5; i++)
        {
            keys.Add(1, i, 0, Key((byte)i));
        }

        keys.MakeRoom(2);
        Assert.Equal([2u, 3u, 4u], Iterations(keys));
        keys.MakeRoom(2);
        Assert.Equal(3, keys.Count);
        Assert.Throws<ArgumentOutOfRangeException>(() => keys.MakeRoom(6));
        Assert.Throws<ArgumentOutOfRangeException>(() => keys.MakeRoom(-1));
    }

    [Fact]
    public void RemoveAt_KeepsOrderOfOthers()
    {
        using var keys = new SenderKeySkippedKeys();
        for (uint i = 0; i < 4; i++)
        {
            keys.Add(1, i, 0, Key((byte)i));
        }

        keys.RemoveAt(1);
        Assert.Equal([0u, 2u, 3u], Iterations(keys));
        Assert.Equal(Key(2), keys.MessageKeyAt(1).ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => keys.RemoveAt(3));
    }

    [Fact]
    public void RemoveChain_RemovesOnlyThatChain()
    {
        using var keys = new SenderKeySkippedKeys();
        keys.Add(1, 0, 0, Key(0));
        keys.Add(2, 0, 0, Key(1));
        keys.Add(1, 1, 0, Key(2));
        keys.Add(3, 0, 0, Key(3));
        Assert.Equal(2, keys.RemoveChain(1));
        Assert.Equal([2u, 3u], Enumerable.Range(0, keys.Count).Select(keys.ChainIdAt));
        Assert.Equal(Key(3), keys.MessageKeyAt(1).ToArray());
    }

    [Fact]
    public void RemoveExpired_RemovesSetTimesNotAfterNow()
    {
        using var keys = new SenderKeySkippedKeys();
        keys.Add(1, 0, 0, Key(0));
        keys.Add(1, 1, 100, Key(1));
        keys.Add(1, 2, 101, Key(2));
        keys.Add(1, 3, 99, Key(3));
        Assert.Equal(0, keys.RemoveExpired(98));
        Assert.Equal(2, keys.RemoveExpired(100));
        Assert.Equal([0u, 2u], Iterations(keys));
        Assert.Equal(1, keys.RemoveExpired(ulong.MaxValue));
        Assert.Equal([0u], Iterations(keys));
    }

    [Fact]
    public void Add_ManyKeys_GrowsAndKeepsEveryKey()
    {
        using var keys = new SenderKeySkippedKeys();
        for (uint i = 0; i < ProtocolLimits.MaxSenderKeySkippedKeys; i++)
        {
            keys.Add(9, i, i, Key(unchecked((byte)i)));
        }

        Assert.Equal(ProtocolLimits.MaxSenderKeySkippedKeys, keys.Count);
        Assert.Equal(Key(unchecked((byte)1999)), keys.MessageKeyAt(1999).ToArray());
        Assert.Equal(1999, keys.IndexOf(9, 1999));
    }

    [Fact]
    public void Add_WrongKeyLength_Throws()
    {
        using var keys = new SenderKeySkippedKeys();
        Assert.Throws<ArgumentException>(() => keys.Add(1, 0, 0, new byte[31]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SenderKeySkippedKeys(0));
    }

    [Fact]
    public void Dispose_ThenAdd_ThrowsObjectDisposed()
    {
        var keys = new SenderKeySkippedKeys();
        keys.Add(1, 0, 0, Key(0));
        keys.Dispose();
        Assert.Equal(0, keys.Count);
        Assert.Throws<ObjectDisposedException>(() => keys.Add(1, 1, 0, Key(1)));
    }

    private static byte[] Key(byte seed) => [.. Enumerable.Range(0, 32).Select(i => unchecked((byte)(seed + i)))];

    private static uint[] Iterations(SenderKeySkippedKeys keys) => [.. Enumerable.Range(0, keys.Count).Select(keys.IterationAt)];
}
