using System.Collections.Concurrent;

namespace E2eChat.Relay.Server.Messaging;

/// <summary>
/// A token bucket per (sending device, recipient account): <c>burst</c> tokens, refilled at
/// <c>perSecond</c> (anchor: Signal's 60-message burst, 1 per second per pair). Time comes from the
/// <see cref="TimeProvider"/> so tests are deterministic. Kept in memory per node (several nodes each
/// allow the rate); buckets that have refilled completely are dropped when too many are kept, which
/// loses nothing since a full bucket is the same as a new one.
/// </summary>
/// <remarks>
/// Hand-written rather than <c>System.Threading.RateLimiting</c>: its token buckets replenish on their
/// own timers from the system clock, which a fake <see cref="TimeProvider"/> cannot drive.
/// </remarks>
internal sealed class PairRateLimiter
{
    private readonly ConcurrentDictionary<RateKey, Bucket> _buckets = new();
    private readonly TimeProvider _time;
    private readonly double _burst;
    private readonly double _perMillisecond;

    /// <summary>Creates a limiter.</summary>
    /// <param name="time">The clock.</param>
    /// <param name="burst">Tokens a bucket holds (at least 1).</param>
    /// <param name="perSecond">Tokens added per second (above 0).</param>
    internal PairRateLimiter(TimeProvider time, int burst, double perSecond)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThan(burst, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(perSecond, 0);
        _time = time;
        _burst = burst;
        _perMillisecond = perSecond / 1000.0;
    }

    /// <summary>How many buckets are held (for tests).</summary>
    internal int BucketCount => _buckets.Count;

    /// <summary>Takes one token from <paramref name="key"/>'s bucket.</summary>
    /// <param name="key">The bucket.</param>
    /// <param name="retryAfter">When refused, how long until a token is available.</param>
    /// <returns><see langword="true"/> when a token was taken.</returns>
    internal bool TryAcquire(RateKey key, out TimeSpan retryAfter)
    {
        long now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        return TryTake(BucketFor(key, now), now, out retryAfter);
    }

    /// <summary>
    /// <paramref name="key"/>'s bucket, for several <see cref="TryTake"/> calls in one request (one
    /// lookup instead of one per token; each take is the same as a <see cref="TryAcquire"/>).
    /// </summary>
    /// <param name="key">The bucket's key.</param>
    /// <param name="nowMilliseconds">The time (the request's clock reading).</param>
    /// <returns>The bucket.</returns>
    internal Bucket BucketFor(RateKey key, long nowMilliseconds)
    {
        if (_buckets.Count >= RelayServerLimits.MaxTrackedRateBuckets)
        {
            DropFullBuckets(nowMilliseconds);
        }

        return _buckets.GetOrAdd(key, static (_, state) => new Bucket(state.Burst, state.Now), (Burst: _burst, Now: nowMilliseconds));
    }

    /// <summary>Takes one token from <paramref name="bucket"/> (see <see cref="BucketFor"/>).</summary>
    /// <param name="bucket">The bucket.</param>
    /// <param name="nowMilliseconds">The time.</param>
    /// <param name="retryAfter">When refused, how long until a token is available.</param>
    /// <returns><see langword="true"/> when a token was taken.</returns>
    internal bool TryTake(Bucket bucket, long nowMilliseconds, out TimeSpan retryAfter)
    {
        ArgumentNullException.ThrowIfNull(bucket);
        lock (bucket)
        {
            bucket.Refill(nowMilliseconds, _burst, _perMillisecond);
            if (bucket.Tokens >= 1)
            {
                bucket.Tokens -= 1;
                retryAfter = TimeSpan.Zero;
                return true;
            }

            retryAfter = TimeSpan.FromMilliseconds(Math.Ceiling((1 - bucket.Tokens) / _perMillisecond));
            return false;
        }
    }

    private void DropFullBuckets(long now)
    {
        foreach (KeyValuePair<RateKey, Bucket> entry in _buckets)
        {
            lock (entry.Value)
            {
                entry.Value.Refill(now, _burst, _perMillisecond);
                if (entry.Value.Tokens >= _burst)
                {
                    _buckets.TryRemove(entry);
                }
            }
        }
    }

    /// <summary>One pair's tokens (see <see cref="BucketFor"/>).</summary>
    internal sealed class Bucket
    {
        internal Bucket(double tokens, long now)
        {
            Tokens = tokens;
            UpdatedAt = now;
        }

        internal double Tokens { get; set; }

        internal long UpdatedAt { get; private set; }

        internal void Refill(long now, double burst, double perMillisecond)
        {
            if (now > UpdatedAt)
            {
                Tokens = Math.Min(burst, Tokens + ((now - UpdatedAt) * perMillisecond));
                UpdatedAt = now;
            }
        }
    }
}
