namespace E2eChat.Relay.Server.Storage.Sqlite;

/// <summary>A <see cref="PendingWrite"/> whose body returns a <typeparamref name="T"/>.</summary>
/// <typeparam name="T">The body's result.</typeparam>
internal sealed class PendingWrite<T> : PendingWrite
{
    private readonly Func<T> _body;
    private readonly TaskCompletionSource<T> _outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private T? _result;
    private bool _failed;

    /// <summary>Queues <paramref name="body"/>.</summary>
    /// <param name="body">The write, run on the writer connection inside the group's transaction.</param>
    internal PendingWrite(Func<T> body) => _body = body;

    /// <summary>The outcome, set after the group's commit.</summary>
    internal Task<T> Task => _outcome.Task;

    /// <inheritdoc />
    internal override bool IsCompleted => _outcome.Task.IsCompleted;

    /// <inheritdoc />
    internal override void Run() => _result = _body();

    /// <inheritdoc />
    internal override void Complete()
    {
        if (!_failed)
        {
            _outcome.TrySetResult(_result!);
        }
    }

    /// <inheritdoc />
    internal override void Fail(Exception exception)
    {
        _failed = true;
        _outcome.TrySetException(exception);
    }
}
