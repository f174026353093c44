namespace E2eChat.Client.Tests.Infrastructure;

/// <summary>The system clock moved by <see cref="Offset"/>: a device that lives "tomorrow" while the relay lives today.</summary>
internal sealed class OffsetClock : TimeProvider
{
    public TimeSpan Offset { get; set; }

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;
}
