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
}
