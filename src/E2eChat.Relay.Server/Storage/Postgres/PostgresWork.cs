using Npgsql;

namespace E2eChat.Relay.Server.Storage.Postgres;

/// <summary>One attempt of one store operation: a connection, its transaction (none for reads) and whether to roll back.</summary>
internal sealed class PostgresWork
{
    /// <summary>Creates the work over an open connection.</summary>
    /// <param name="connection">The connection.</param>
    /// <param name="transaction">The transaction, or <see langword="null"/> for a read.</param>
    internal PostgresWork(NpgsqlConnection connection, NpgsqlTransaction? transaction)
    {
        Connection = connection;
        Transaction = transaction;
    }

    /// <summary>The connection.</summary>
    internal NpgsqlConnection Connection { get; }

    /// <summary>The running transaction, if any.</summary>
    internal NpgsqlTransaction? Transaction { get; }

    /// <summary>Whether the transaction is to be rolled back instead of committed.</summary>
    internal bool Aborted { get; private set; }

    /// <summary>Makes the transaction roll back instead of committing.</summary>
    internal void Abort() => Aborted = true;

    /// <summary>A command in this work's transaction, no parameters bound (the caller disposes it).</summary>
    /// <param name="sql">The statement, with <c>@name</c> parameters.</param>
    /// <returns>The command.</returns>
    internal NpgsqlCommand Command(string sql) => new(sql, Connection, Transaction);

    /// <summary>Runs a statement and returns the rows it changed.</summary>
    /// <param name="command">The command (disposed here).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The row count.</returns>
    internal static async Task<int> ExecuteAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using (command.ConfigureAwait(false))
        {
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Runs a statement and returns the first column of its first row.</summary>
    /// <param name="command">The command (disposed here).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The value, or <see langword="null"/> when there is no row (or it is NULL).</returns>
    internal static async Task<object?> ScalarAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using (command.ConfigureAwait(false))
        {
            object? value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            return value is DBNull ? null : value;
        }
    }

    /// <summary>Runs a query and maps each row.</summary>
    /// <typeparam name="T">The row type.</typeparam>
    /// <param name="command">The command (disposed here).</param>
    /// <param name="map">Reads one row.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The rows.</returns>
    internal static async Task<List<T>> RowsAsync<T>(NpgsqlCommand command, Func<NpgsqlDataReader, T> map, CancellationToken cancellationToken)
    {
        await using (command.ConfigureAwait(false))
        {
            NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                var rows = new List<T>();
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    rows.Add(map(reader));
                }

                return rows;
            }
        }
    }
}
