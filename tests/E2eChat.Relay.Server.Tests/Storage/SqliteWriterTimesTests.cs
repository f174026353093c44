using E2eChat.Relay.Server.Storage.Sqlite;

namespace E2eChat.Relay.Server.Tests.Storage;

/// <summary>The writer line the load tool prints, and the difference of two snapshots.</summary>
public sealed class SqliteWriterTimesTests
{
    private static readonly SqliteWriterTimes s_round = new(
        Groups: 60,
        Writes: 1_500,
        Running: TimeSpan.FromMilliseconds(172),
        Committing: TimeSpan.FromMilliseconds(100),
        AfterCommit: TimeSpan.FromMilliseconds(60),
        Idle: TimeSpan.FromMilliseconds(68),
        OnCpu: TimeSpan.FromMilliseconds(180),
        WaitingForCpu: TimeSpan.FromMilliseconds(52));

    [Fact]
    public void ToString_WithOperatingSystemTimes_OneLineOfShares()
    {
        Assert.Equal(
            "writer: 60 groups of 25.0 writes; of its 400 ms: running writes 43%, committing 25%, after commit 15%, idle 17%; on a core 45%, waiting for a core 13%",
            s_round.ToString());
    }

    [Fact]
    public void ToString_NoOperatingSystemTimes_PhasesOnly()
    {
        Assert.Equal(
            "writer: 60 groups of 25.0 writes; of its 400 ms: running writes 43%, committing 25%, after commit 15%, idle 17%",
            (s_round with { OnCpu = null, WaitingForCpu = null }).ToString());
    }

    [Fact]
    public void ToString_NoGroups_NoAverage()
    {
        Assert.Equal(
            "writer: 0 groups; of its 250 ms: running writes 0%, committing 0%, after commit 0%, idle 100%",
            new SqliteWriterTimes(0, 0, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.FromMilliseconds(250), null, null).ToString());
    }

    [Fact]
    public void ToString_NoTime_NoShares()
    {
        Assert.Equal(
            "writer: 0 groups; of its 0 ms: running writes 0%, committing 0%, after commit 0%, idle 0%; on a core 0%, waiting for a core 0%",
            new SqliteWriterTimes(0, 0, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero).ToString());
    }

    [Fact]
    public void Since_SubtractsEveryCounter()
    {
        SqliteWriterTimes later = s_round with
        {
            Groups = 70,
            Writes = 1_510,
            Running = TimeSpan.FromMilliseconds(200),
            Committing = TimeSpan.FromMilliseconds(110),
            AfterCommit = TimeSpan.FromMilliseconds(61),
            Idle = TimeSpan.FromMilliseconds(69),
            OnCpu = TimeSpan.FromMilliseconds(190),
            WaitingForCpu = TimeSpan.FromMilliseconds(55),
        };

        Assert.Equal(
            new SqliteWriterTimes(10, 10, TimeSpan.FromMilliseconds(28), TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(3)),
            later.Since(s_round));
    }

    [Fact]
    public void Since_EarlierWithoutOperatingSystemTimes_NoneInTheDifference()
    {
        SqliteWriterTimes delta = s_round.Since(s_round with { OnCpu = null, WaitingForCpu = null });

        Assert.Null(delta.OnCpu);
        Assert.Null(delta.WaitingForCpu);
        Assert.Equal(TimeSpan.Zero, delta.Total);
    }
}
