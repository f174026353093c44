using E2eChat.Ratchet;

namespace E2eChat.Tests.Ratchet;

public sealed class ReceiverChainHistoryTests
{
    private static byte[] Key(byte value) => Enumerable.Repeat(value, 32).ToArray();

    [Fact]
    public void PushNewest_Keys_NewestFirst()
    {
        using var history = new ReceiverChainHistory();
        history.PushNewest(Key(1));
        history.PushNewest(Key(2));
        Assert.Equal(2, history.Count);
        Assert.Equal(Key(2), history.HeaderKeyAt(0).ToArray());
        Assert.Equal(Key(1), history.HeaderKeyAt(1).ToArray());
    }

    [Fact]
    public void PushNewest_BeyondMaximum_ForgetsOldest()
    {
        Assert.Equal(ProtocolLimits.MaxReceiverChains - 1, ReceiverChainHistory.MaxCount);
        using var history = new ReceiverChainHistory();
        for (byte i = 1; i <= 6; i++)
        {
            history.PushNewest(Key(i));
        }

        Assert.Equal(4, history.Count);
        Assert.Equal(Key(6), history.HeaderKeyAt(0).ToArray());
        Assert.Equal(Key(3), history.HeaderKeyAt(3).ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => history.HeaderKeyAt(4));
    }

    [Fact]
    public void AddOldest_Keys_AppendedAtEndUntilFull()
    {
        using var history = new ReceiverChainHistory();
        for (byte i = 1; i <= 4; i++)
        {
            history.AddOldest(Key(i));
        }

        Assert.Equal(Key(1), history.HeaderKeyAt(0).ToArray());
        Assert.Equal(Key(4), history.HeaderKeyAt(3).ToArray());
        Assert.Throws<InvalidOperationException>(() => history.AddOldest(Key(5)));
    }

    [Fact]
    public void PushNewest_WrongLength_Throws()
    {
        using var history = new ReceiverChainHistory();
        Assert.Throws<ArgumentException>(() => history.PushNewest(new byte[31]));
    }
}
