
namespace E2eChat.Relay.Server.Messaging;

/// <summary>One receive stream's wake-ups. A wake-up that arrives while the stream is busy is kept for its next wait, so none is lost.</summary>
internal interface IQueueSubscription : IDisposable
{
    /// <summary>Wakes the waiting stream (or the next wait).</summary>
    void Wake();

    /// <summary>Waits for a wake-up or until <paramref name="timeout"/> passes on <paramref name="time"/>.</summary>
    /// <param name="timeout">The catch-up interval.</param>
    /// <param name="time">The clock.</param>
    /// <param name="cancellationToken">Ends the wait by throwing.</param>
    /// <returns>A task that completes on either.</returns>
    Task WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken);

    /// <summary>
    /// Takes the entries handed over by <see cref="IQueueSignal.Offer"/> that directly follow
    /// <paramref name="cursor"/> (no gap), up to <paramref name="limit"/>, into <paramref name="into"/>.
    /// Returns <see langword="false"/> (and takes nothing) when the stream must read its queue from the
    /// store instead: after a plain <see cref="IQueueSignal.Notify"/>, a catch-up interval, a gap, an
    /// expired entry, or more hand-overs than <see cref="RelayServerLimits.MaxLiveDeliveriesPerStream"/>;
    /// every stream starts that way.
    /// </summary>
    /// <param name="cursor">The last sequence number the stream sent.</param>
    /// <param name="limit">The most entries to take.</param>
    /// <param name="nowMilliseconds">The time; an expired entry is not sent from memory.</param>
    /// <param name="into">Receives the entries in sequence order.</param>
    /// <returns>Whether the entries taken (possibly none) are all there is to send.</returns>
    bool TryTakeLive(long cursor, int limit, long nowMilliseconds, List<QueuedDelivery> into);
}
