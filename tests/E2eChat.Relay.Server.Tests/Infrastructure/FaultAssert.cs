namespace E2eChat.Relay.Server.Tests.Infrastructure;

internal static class FaultAssert
{
    /// <summary>
    /// Every message received once: none lost, none queued twice. (Fewer than all may have been answered
    /// "accepted": a node killed after its commit and before its answer makes the client's retry on
    /// another node come back as a duplicate, which is the point of the retry.)
    /// </summary>
    public static void NothingLostNothingTwice(FailoverTraffic traffic, int lost, int messages)
    {
        Assert.Equal(0, lost);
        Assert.Equal(0, traffic.Duplicated);
        Assert.Equal(messages, traffic.Received);
        Assert.InRange(traffic.Accepted, 1, messages);
    }
}
