using System.Collections.Concurrent;

namespace E2eChat.Relay.Server.Messaging;

/// <summary>
/// The single-node <see cref="IQueueSignal"/>: subscriptions in a dictionary, woken directly; committed
/// entries handed over with <see cref="Offer"/> wait in the subscription for its stream to send them.
/// </summary>
internal sealed class InProcessQueueSignal : IQueueSignal
{
    private readonly ConcurrentDictionary<DeviceAddress, Subscription[]> _subscriptions = new();

    /// <inheritdoc />
    public void Notify(DeviceAddress device)
    {
        if (_subscriptions.TryGetValue(device, out Subscription[]? subscriptions))
        {
            foreach (Subscription subscription in subscriptions)
            {
                subscription.MarkStale();
                subscription.Wake();
            }
        }
    }

    /// <inheritdoc />
    public void Offer(StoredDelivery delivery)
    {
        if (_subscriptions.TryGetValue(delivery.Device, out Subscription[]? subscriptions))
        {
            foreach (Subscription subscription in subscriptions)
            {
                subscription.Offer(delivery);
                subscription.Wake();
            }
        }
    }

    /// <summary>Wakes every subscription (after a gap in which signals may have been missed).</summary>
    public void WakeAll()
    {
        foreach (Subscription[] subscriptions in _subscriptions.Values)
        {
            foreach (Subscription subscription in subscriptions)
            {
                subscription.MarkStale();
                subscription.Wake();
            }
        }
    }

    /// <inheritdoc />
    public IQueueSubscription Subscribe(DeviceAddress device)
    {
        var subscription = new Subscription(this, device);
        _subscriptions.AddOrUpdate(device, static (_, s) => [s], static (_, existing, s) => [.. existing, s], subscription);
        return subscription;
    }

    private void Remove(Subscription subscription)
    {
        while (_subscriptions.TryGetValue(subscription.Device, out Subscription[]? existing))
        {
            Subscription[] remaining = Array.FindAll(existing, s => !ReferenceEquals(s, subscription));
            bool done = remaining.Length == 0
                ? _subscriptions.TryRemove(new KeyValuePair<DeviceAddress, Subscription[]>(subscription.Device, existing))
                : _subscriptions.TryUpdate(subscription.Device, remaining, existing);
            if (done)
            {
                return;
            }
        }
    }

    private sealed class Subscription : IQueueSubscription
    {
        private readonly InProcessQueueSignal _owner;
        private readonly SemaphoreSlim _signal = new(0, 1);
        private readonly Lock _gate = new();
        private readonly List<StoredDelivery> _live = [];
        private bool _stale = true;
        private int _disposed;

        internal Subscription(InProcessQueueSignal owner, DeviceAddress device)
        {
            _owner = owner;
            Device = device;
        }

        internal DeviceAddress Device { get; }

        public void Wake()
        {
            try
            {
                if (_signal.CurrentCount == 0)
                {
                    _signal.Release();
                }
            }
            catch (SemaphoreFullException)
            {
                // Another wake-up got there first: one pending wake-up is enough.
            }
            catch (ObjectDisposedException)
            {
                // The stream ended.
            }
        }

        public Task WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(time);

            // A wake-up kept while the stream was busy: taken at once, with no timer.
            if (!cancellationToken.IsCancellationRequested && _signal.Wait(0, CancellationToken.None))
            {
                return Task.CompletedTask;
            }

            return ReferenceEquals(time, TimeProvider.System) && timeout.TotalMilliseconds <= int.MaxValue ? WaitOnSystemClockAsync(timeout, cancellationToken) : WaitOnClockAsync(timeout, time, cancellationToken);
        }

        /// <summary>The wait on the system clock: the semaphore's own timeout, without a timer source per wait.</summary>
        private async Task WaitOnSystemClockAsync(TimeSpan timeout, CancellationToken cancellationToken)
        {
            if (!await _signal.WaitAsync(timeout, cancellationToken).ConfigureAwait(false))
            {
                // The catch-up interval passed: the caller re-reads its queue.
                MarkStale();
            }
        }

        private async Task WaitOnClockAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
        {
            using var timeoutSource = new CancellationTokenSource(timeout, time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutSource.Token);
            try
            {
                await _signal.WaitAsync(linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // The catch-up interval passed: the caller re-reads its queue.
                MarkStale();
            }
        }

        /// <summary>The next <see cref="TryTakeLive"/> sends the stream to the store.</summary>
        internal void MarkStale()
        {
            lock (_gate)
            {
                _stale = true;
                _live.Clear();
            }
        }

        /// <summary>Keeps a committed entry for the stream.</summary>
        internal void Offer(StoredDelivery delivery)
        {
            lock (_gate)
            {
                if (_stale)
                {
                    // The stream reads the store next, after this entry's commit: it will be there.
                    return;
                }

                if (_live.Count >= RelayServerLimits.MaxLiveDeliveriesPerStream)
                {
                    _stale = true;
                    _live.Clear();
                    return;
                }

                _live.Add(delivery);
            }
        }

        public bool TryTakeLive(long cursor, int limit, long nowMilliseconds, List<QueuedDelivery> into)
        {
            ArgumentNullException.ThrowIfNull(into);
            lock (_gate)
            {
                if (_stale)
                {
                    // Cleared before the read starts: whatever is committed after this is offered again.
                    _stale = false;
                    _live.Clear();
                    return false;
                }

                // Hand-overs from concurrent commits may arrive out of order.
                _live.Sort(static (a, b) => a.Delivery.Sequence.CompareTo(b.Delivery.Sequence));
                int next = 0;
                while (next < _live.Count && _live[next].Delivery.Sequence <= cursor)
                {
                    next++;
                }

                long expected = cursor + 1;
                int start = next;
                while (next < _live.Count && next - start < limit && _live[next].Delivery.Sequence == expected)
                {
                    if (_live[next].ExpiresAtMilliseconds <= nowMilliseconds)
                    {
                        break;
                    }

                    next++;
                    expected++;
                }

                bool blocked = next < _live.Count && next - start < limit;
                if (blocked && next == start)
                {
                    // A gap (an entry committed but not handed over yet, or never) or an expired entry
                    // right after the cursor: the store has the truth.
                    _live.Clear();
                    return false;
                }

                for (int i = start; i < next; i++)
                {
                    into.Add(_live[i].Delivery);
                }

                _live.RemoveRange(0, next);
                return true;
            }
        }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                _owner.Remove(this);
                _signal.Dispose();
            }
        }
    }
}
