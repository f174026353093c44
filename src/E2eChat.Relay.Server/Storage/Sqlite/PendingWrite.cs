namespace E2eChat.Relay.Server.Storage.Sqlite;

/// <summary>
/// A write queued for the SQLite writer's next group commit. Its state moves once from queued to
/// either cancelled (its caller gave up before any writer took it: it never runs) or started (a
/// writer took it: it runs, and its outcome is delivered only after the group's commit).
/// </summary>
internal abstract class PendingWrite
{
    private const int Queued = 0;
    private const int Started = 1;
    private const int Cancelled = 2;

    private int _state;

    /// <summary>Whether its outcome has been delivered (or it was cancelled).</summary>
    internal abstract bool IsCompleted { get; }

    /// <summary>Claims it for running; false when its caller cancelled it first.</summary>
    /// <returns>Whether it may run.</returns>
    internal bool TryStart() => Interlocked.CompareExchange(ref _state, Started, Queued) == Queued;

    /// <summary>Withdraws it before any writer took it; false when one already has.</summary>
    /// <returns>Whether it will never run.</returns>
    internal bool TryCancel() => Interlocked.CompareExchange(ref _state, Cancelled, Queued) == Queued;

    /// <summary>Runs the body inside the group's transaction, keeping its result until the commit.</summary>
    internal abstract void Run();

    /// <summary>Delivers the kept result, after the commit (a write that failed keeps its failure).</summary>
    internal abstract void Complete();

    /// <summary>Delivers a failure (its own, or the group's when the commit failed).</summary>
    /// <param name="exception">The failure.</param>
    internal abstract void Fail(Exception exception);
}
