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

    /// <summary>
    /// Opens (or creates) one of the client's own files with the settings they all use (write-ahead log,
    /// full sync, a busy timeout); a new file (<c>user_version</c> 0) gets <paramref name="createSchema"/>,
    /// which sets <c>user_version</c>; a file of another version is refused.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="createSchema">The statements that create a new file's tables and set its version.</param>
    /// <param name="schemaVersion">The version this library reads.</param>
    /// <param name="contents">What the file holds, for the error message (<c>client state</c>).</param>
    /// <param name="created">Whether the file was new and <paramref name="createSchema"/> ran.</param>
    /// <returns>The open connection, which the caller disposes.</returns>
    /// <exception cref="InvalidDataException">The file has another schema version.</exception>
    internal static SqliteConnection OpenFile(string path, string createSchema, long schemaVersion, string contents, out bool created)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false }.ToString());
        try
        {
            connection.Open();
            Execute(connection, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=5000;");
            long version = Scalar(connection, "PRAGMA user_version") ?? 0;
            created = version == 0;
            if (created)
            {
                Execute(connection, createSchema);
            }
            else if (version != schemaVersion)
            {
                throw new InvalidDataException($"{path} has {contents} version {version}; this library reads version {schemaVersion}.");
            }

            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }
}
