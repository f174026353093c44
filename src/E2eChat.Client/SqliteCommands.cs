using Microsoft.Data.Sqlite;

namespace E2eChat.Client;

/// <summary>The small SQLite helpers the client's own stores (<c>client.db</c>, <c>groups.db</c>) share.</summary>
internal static class SqliteCommands
{
    /// <summary>A command on <paramref name="connection"/> with <paramref name="sql"/> as its text; the caller disposes it.</summary>
    /// <param name="connection">An open connection.</param>
    /// <param name="sql">The statement.</param>
    /// <returns>The command.</returns>
    internal static SqliteCommand Command(SqliteConnection connection, string sql)
    {
        SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }

    /// <summary>Runs a statement that returns no rows.</summary>
    /// <param name="connection">An open connection.</param>
    /// <param name="sql">The statement.</param>
    internal static void Execute(SqliteConnection connection, string sql)
    {
        using SqliteCommand command = Command(connection, sql);
        command.ExecuteNonQuery();
    }

    /// <summary>Runs a statement and reads its first column of its first row as an integer.</summary>
    /// <param name="connection">An open connection.</param>
    /// <param name="sql">The statement.</param>
    /// <returns>The integer, or <see langword="null"/> when there is no row or it is not an integer.</returns>
    internal static long? Scalar(SqliteConnection connection, string sql)
    {
        using SqliteCommand command = Command(connection, sql);
        return command.ExecuteScalar() is long value ? value : null;
    }
}
