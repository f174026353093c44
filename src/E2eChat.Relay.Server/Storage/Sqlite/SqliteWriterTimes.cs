using System.Globalization;

namespace E2eChat.Relay.Server.Storage.Sqlite;

/// <summary>
/// Where the SQLite store's writer thread spent its time (<see cref="SqliteRelayStore.WriterTimes"/>):
/// cumulative counters since the store was created, or, from <see cref="Since"/>, over an interval. The
/// four phases <see cref="Running"/>, <see cref="Committing"/>, <see cref="AfterCommit"/> and
/// <see cref="Idle"/> cover the writer's wall time without gaps or overlap; <see cref="OnCpu"/> and
/// <see cref="WaitingForCpu"/> are what the operating system counted for the thread meanwhile.
/// </summary>
/// <param name="Groups">The groups of writes run, each in one transaction (a group whose writes failed together counts too).</param>
/// <param name="Writes">The writes taken into those groups (those of a group whose transaction failed too).</param>
/// <param name="Running">From taking a group's writes off the queue and <c>BEGIN</c> to just before its <c>COMMIT</c>: running the writes, each in its savepoint.</param>
/// <param name="Committing">Ending the group's transaction: the <c>COMMIT</c> call with its WAL sync, or the rollback of a group whose only write failed (a rollback after an exception counts as running).</param>
/// <param name="AfterCommit">After the commit: completing the callers, the group's share of checkpointing, and moving the recent dedup keys when due.</param>
/// <param name="Idle">Waiting to be woken for queued writes.</param>
/// <param name="OnCpu">
/// Time the thread ran on a core, from the first number of <c>/proc/self/task/&lt;tid&gt;/schedstat</c>;
/// null where that file cannot be read (not Linux, or the kernel does not keep it).
/// </param>
/// <param name="WaitingForCpu">
/// Time the thread was runnable but waited for a core (the second number of the same file); null as
/// <paramref name="OnCpu"/>.
/// </param>
internal readonly record struct SqliteWriterTimes(
    long Groups,
    long Writes,
    TimeSpan Running,
    TimeSpan Committing,
    TimeSpan AfterCommit,
    TimeSpan Idle,
    TimeSpan? OnCpu,
    TimeSpan? WaitingForCpu)
{
    /// <summary>The writer's wall time these counters cover: the sum of its four phases.</summary>
    public TimeSpan Total => Running + Committing + AfterCommit + Idle;

    /// <summary>
    /// What happened between <paramref name="earlier"/> (a snapshot of the same store) and this one;
    /// the operating system's times are null unless both have them.
    /// </summary>
    /// <param name="earlier">The earlier snapshot.</param>
    /// <returns>The differences.</returns>
    public SqliteWriterTimes Since(SqliteWriterTimes earlier) => new(
        Groups - earlier.Groups,
        Writes - earlier.Writes,
        Running - earlier.Running,
        Committing - earlier.Committing,
        AfterCommit - earlier.AfterCommit,
        Idle - earlier.Idle,
        OnCpu - earlier.OnCpu,
        WaitingForCpu - earlier.WaitingForCpu);

    /// <summary>
    /// One line, e.g. <c>writer: 60 groups of 25.0 writes; of its 362 ms: running writes 43%, committing
    /// 25%, after commit 15%, idle 17%; on a core 45%, waiting for a core 13%</c>: each part as a share of
    /// <see cref="Total"/> (the operating system's parts too, left out when unknown).
    /// </summary>
    /// <returns>The line.</returns>
    public override string ToString()
    {
        TimeSpan total = Total;
        string groups = Groups == 0
            ? "writer: 0 groups"
            : string.Create(CultureInfo.InvariantCulture, $"writer: {Groups} groups of {(double)Writes / Groups:0.0} writes");
        string phases = string.Create(
            CultureInfo.InvariantCulture,
            $"{groups}; of its {total.TotalMilliseconds:0} ms: running writes {Percent(Running, total)}, committing {Percent(Committing, total)}, after commit {Percent(AfterCommit, total)}, idle {Percent(Idle, total)}");
        return OnCpu is { } onCpu && WaitingForCpu is { } waiting
            ? string.Create(CultureInfo.InvariantCulture, $"{phases}; on a core {Percent(onCpu, total)}, waiting for a core {Percent(waiting, total)}")
            : phases;
    }

    /// <summary><paramref name="part"/> as a whole percentage of <paramref name="total"/> (0% of nothing).</summary>
    private static string Percent(TimeSpan part, TimeSpan total) =>
        string.Create(CultureInfo.InvariantCulture, $"{(total > TimeSpan.Zero ? part / total * 100 : 0):0}%");
}
