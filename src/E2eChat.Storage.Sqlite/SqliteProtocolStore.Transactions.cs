using Microsoft.Data.Sqlite;

namespace E2eChat.Storage.Sqlite;

/// <summary>One transaction around several operations, for a caller that must commit its own record with a session change.</summary>
public sealed partial class SqliteProtocolStore
{
    private static readonly AsyncLocal<TransactionScope?> s_ambient = new();

    /// <summary>The transaction operations of the current flow join, if any.</summary>
    private SqliteTransaction? AmbientTransaction =>
        s_ambient.Value is { } scope && ReferenceEquals(scope.Store, this) ? scope.Transaction : null;

    /// <summary>
    /// Runs <paramref name="work"/> so that every operation of this store it awaits (in the same
    /// asynchronous flow: a <see cref="E2eChat.SessionManager"/> decrypting, <see cref="AddInboxEntryAsync"/>)
    /// joins one transaction, committed when <paramref name="work"/> returns and rolled back when it
    /// throws: for example a received message's session change and its inbox entry, together or not at all.
    /// </summary>
    /// <remarks>
    /// The transaction starts at the first operation and holds the store until it ends: other
    /// operations (other flows) wait. So <paramref name="work"/> must not wait for another flow that
    /// uses this store. Tasks <paramref name="work"/> starts inherit its flow and join the transaction:
    /// their operations must run one at a time (two at once throw <see cref="InvalidOperationException"/>). A session manager's cached record may be ahead of a rolled-back store; it
    /// notices the version on its next operation and reloads.
    /// </remarks>
    /// <typeparam name="T">The result's type.</typeparam>
    /// <param name="work">The operations.</param>
    /// <param name="cancellationToken">Cancels the operation (before the commit).</param>
    /// <returns>What <paramref name="work"/> returned, once committed.</returns>
    /// <exception cref="InvalidOperationException">Called inside another transaction of this store.</exception>
    public async ValueTask<T> RunInTransactionAsync<T>(Func<CancellationToken, ValueTask<T>> work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (s_ambient.Value is { } outer && ReferenceEquals(outer.Store, this))
        {
            throw new InvalidOperationException("Transactions of one store do not nest.");
        }

        var scope = new TransactionScope(this);
        s_ambient.Value = scope;
        try
        {
            T result = await work(cancellationToken).ConfigureAwait(false);
            if (scope.Transaction is not null)
            {
                cancellationToken.ThrowIfCancellationRequested();
                WriteHook?.Invoke("COMMIT");
                long started = System.Diagnostics.Stopwatch.GetTimestamp();
                scope.Transaction.Commit();
                Interlocked.Add(ref _busyTicks, System.Diagnostics.Stopwatch.GetTimestamp() - started);
            }

            return result;
        }
        finally
        {
            s_ambient.Value = null;
            if (scope.Transaction is not null)
            {
                // Without a commit above, disposing rolls everything back.
                scope.Transaction.Dispose();
                scope.Transaction = null;
                _gate.Release();
            }
        }
    }

    /// <summary>Takes the store for <paramref name="scope"/> and begins its transaction, at its first operation.</summary>
    private async ValueTask JoinAsync(TransactionScope scope, CancellationToken cancellationToken)
    {
        if (scope.Transaction is not null)
        {
            return;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            scope.Transaction = _connection.BeginTransaction(deferred: false);
        }
        catch
        {
            _gate.Release();
            throw;
        }
    }

    /// <summary>A flow's transaction on one store.</summary>
    private sealed class TransactionScope(SqliteProtocolStore store)
    {
        internal SqliteProtocolStore Store { get; } = store;

        internal SqliteTransaction? Transaction { get; set; }

        /// <summary>1 while an operation of the flow runs on the transaction.</summary>
        internal int Busy;
    }
}
