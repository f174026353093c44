using System.Diagnostics;
using System.Globalization;

namespace E2eChat.Relay.Server.Storage.Sqlite;

/// <summary>
/// Keeps <see cref="SqliteWriterTimes"/> for the store's writer thread. The writer marks where each phase
/// begins (a timestamp and a few stores per mark, a handful of marks per group, nothing allocated); the
/// time since the previous mark goes to the phase that mark began, so the phases cover the wall time
/// since the store was created without gaps. Only the writer thread writes the counters; any thread
/// reads them (<see cref="Read"/>) under a sequence lock: the writer makes <c>_version</c> odd while
/// it updates, and a reader that saw an odd or changed version reads again, so a snapshot is never
/// half of one update.
/// </summary>
internal sealed class SqliteWriterClock
{
    /// <summary>
    /// The link to the calling thread's own directory under <c>/proc</c> (Linux 3.17 and later), whose
    /// target, <c>&lt;pid&gt;/task/&lt;tid&gt;</c>, names the thread's id without a native call.
    /// </summary>
    private const string ThreadSelfLink = "/proc/thread-self";

    /// <summary>The phase indexes in <see cref="_ticks"/>.</summary>
    private const int Idle = 0, Running = 1, Committing = 2, AfterCommit = 3, PhaseCount = 4;

    /// <summary><see cref="TimeSpan"/> ticks per <see cref="Stopwatch"/> timestamp unit (a double: multiplying the counts by the integer ratio could overflow).</summary>
    private static readonly double s_timeSpanTicksPerTimestamp = (double)TimeSpan.TicksPerSecond / Stopwatch.Frequency;

    private readonly long[] _ticks = new long[PhaseCount];
    private long _version;
    private long _groups;
    private long _writes;
    private int _phase = Idle;
    private long _phaseStart = Stopwatch.GetTimestamp();
    private string? _schedstatPath;

    /// <summary>
    /// On the writer thread, once at its start: finds the thread's scheduler statistics file (Linux only;
    /// when it cannot be found or read, the snapshots have no operating-system times).
    /// </summary>
    internal void AttachToCurrentThread()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        try
        {
            string? target = new FileInfo(ThreadSelfLink).LinkTarget;
            if (target is not null
                && int.TryParse(Path.GetFileName(target), NumberStyles.None, CultureInfo.InvariantCulture, out int threadId)
                && threadId > 0)
            {
                // The thread's scheduler statistics: time on a core, time runnable waiting for one (both
                // in ns), time slices; readable from any thread of the process.
                string path = string.Create(CultureInfo.InvariantCulture, $"/proc/self/task/{threadId}/schedstat");
                if (ReadSchedstat(path) is not null)
                {
                    Volatile.Write(ref _schedstatPath, path);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // No /proc (a container without it, a sandbox): no operating-system times.
        }
    }

    /// <summary>On the writer thread: it waits to be woken.</summary>
    internal void EnterIdle() => Mark(Idle, 0);

    /// <summary>On the writer thread: it takes a group's writes and runs them.</summary>
    internal void EnterRunning() => Mark(Running, 0);

    /// <summary>On the writer thread: it ends the group's transaction (commit or rollback).</summary>
    internal void EnterCommitting() => Mark(Committing, 0);

    /// <summary>On the writer thread: the group's transaction ended (committed, or failed); counts the group and its <paramref name="writes"/>, and the after-commit work begins.</summary>
    /// <param name="writes">The writes the group ran.</param>
    internal void EndTransaction(int writes) => Mark(AfterCommit, writes);

    /// <summary>A snapshot, from any thread: the phase in progress counted up to now, the operating system's times as of now.</summary>
    /// <returns>The counters.</returns>
    internal SqliteWriterTimes Read()
    {
        Span<long> ticks = stackalloc long[PhaseCount];
        var spin = default(SpinWait);
        long groups;
        long writes;
        while (true)
        {
            long version = Volatile.Read(ref _version);
            if ((version & 1) == 0)
            {
                groups = Volatile.Read(ref _groups);
                writes = Volatile.Read(ref _writes);
                for (int phase = 0; phase < PhaseCount; phase++)
                {
                    ticks[phase] = Volatile.Read(ref _ticks[phase]);
                }

                int current = Volatile.Read(ref _phase);
                long start = Volatile.Read(ref _phaseStart);
                long now = Stopwatch.GetTimestamp();
                if (Volatile.Read(ref _version) == version)
                {
                    ticks[current] += Math.Max(0, now - start);
                    break;
                }
            }

            spin.SpinOnce();
        }

        (TimeSpan OnCpu, TimeSpan WaitingForCpu)? os = Volatile.Read(ref _schedstatPath) is { } path ? ReadSchedstat(path) : null;
        return new SqliteWriterTimes(
            groups,
            writes,
            Time(ticks[Running]),
            Time(ticks[Committing]),
            Time(ticks[AfterCommit]),
            Time(ticks[Idle]),
            os?.OnCpu,
            os?.WaitingForCpu);
    }

    /// <summary>On the writer thread: the time since the last mark goes to the phase it began; <paramref name="phase"/> begins now (with a group of <paramref name="writes"/> counted when there are any).</summary>
    private void Mark(int phase, int writes)
    {
        // Odd: an update is under way. The full fence keeps the stores below from becoming visible before
        // it, and the time is read after it, so a reader that saw the previous state counted no later time.
        Interlocked.Increment(ref _version);
        long now = Stopwatch.GetTimestamp();
        Volatile.Write(ref _ticks[_phase], _ticks[_phase] + (now - _phaseStart));
        if (writes > 0)
        {
            Volatile.Write(ref _groups, _groups + 1);
            Volatile.Write(ref _writes, _writes + writes);
        }

        Volatile.Write(ref _phaseStart, now);
        Volatile.Write(ref _phase, phase);

        // Even again, after (release) the stores above. Unchecked: the version may wrap in a long life.
        Volatile.Write(ref _version, unchecked(_version + 1));
    }

    /// <summary>The first two numbers of a schedstat file, or null when it cannot be read or is not as expected.</summary>
    private static (TimeSpan OnCpu, TimeSpan WaitingForCpu)? ReadSchedstat(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        string[] fields = text.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return fields.Length >= 2
            && long.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out long onCpu)
            && long.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out long waiting)
            ? (TimeSpan.FromTicks(onCpu / TimeSpan.NanosecondsPerTick), TimeSpan.FromTicks(waiting / TimeSpan.NanosecondsPerTick))
            : null;
    }

    private static TimeSpan Time(long timestampTicks) => TimeSpan.FromTicks((long)(timestampTicks * s_timeSpanTicksPerTimestamp));
}
