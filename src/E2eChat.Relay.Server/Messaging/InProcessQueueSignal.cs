using System.Collections.Concurrent;

namespace E2eChat.Relay.Server.Messaging;

/// <summary>The single-node <see cref="IQueueSignal"/>: subscriptions in a dictionary, woken directly.</summary>
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

        public async Task WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
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
