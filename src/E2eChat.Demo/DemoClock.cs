namespace E2eChat.Demo;

/// <summary>
/// The demo's clock, shared by the relay and every device: the system clock moved forward by
/// <see cref="Advance"/>, so "a day later" and expiries happen without sleeping.
/// </summary>
internal sealed class DemoClock : TimeProvider
{
    private long _offsetTicks;

    /// <summary>How far the clock has been moved forward.</summary>
    internal TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    /// <summary>Moves the clock forward.</summary>
    internal void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);

    /// <inheritdoc/>
    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;
}
