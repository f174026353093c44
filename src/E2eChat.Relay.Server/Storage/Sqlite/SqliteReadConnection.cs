using Microsoft.Data.Sqlite;

namespace E2eChat.Relay.Server.Storage.Sqlite;

/// <summary>
/// An open read connection of the SQLite store with its statements prepared once: a command is
/// parsed on its first use and reused (parameters cleared) on every later read that runs the same SQL.
/// Caches statements only, never data: each read sees the last commit (WAL). Used by one read at a time.
/// </summary>
internal sealed class SqliteReadConnection : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

    /// <summary>Opens a connection.</summary>
    /// <param name="connectionString">The store's connection string.</param>
    internal SqliteReadConnection(string connectionString)
    {
        _connection = new SqliteConnection(connectionString);
        _connection.Open();
    }

    /// <summary>The prepared statement for <paramref name="sql"/>, with no parameters bound.</summary>
    /// <param name="sql">The statement (a constant of the store).</param>
    /// <returns>The command; the connection owns it (do not dispose).</returns>
    internal SqliteCommand Command(string sql)
    {
        if (!_commands.TryGetValue(sql, out SqliteCommand? command))
        {
            command = _connection.CreateCommand();
            command.CommandText = sql;
            _commands.Add(sql, command);
        }

        command.Parameters.Clear();
        return command;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (SqliteCommand command in _commands.Values)
        {
            command.Dispose();
        }

        _commands.Clear();
        _connection.Dispose();
    }
}
