namespace E2eChat.Relay.Server.Tests.Infrastructure;

internal static class FaultAssert
{
    /// <summary>Every message accepted once and received once: none lost, none queued twice.</summary>
    public static void NothingLostNothingTwice(FailoverTraffic traffic, int lost, int messages)
    {
        Assert.Equal(0, lost);
        Assert.Equal(0, traffic.Duplicated);
        Assert.Equal(messages, traffic.Accepted);
        Assert.Equal(messages, traffic.Received);
    }
}
