using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace E2eChat.Relay.Server.Storage.Sqlite;

/// <summary>
/// One of the writer's hot statements, prepared once on the writer connection's own SQLite handle
/// (the same connection, so the same transaction) and run through SQLitePCL's raw API: parameters are
/// bound by index (1-based, in the order they first appear in the text), strings from UTF-8 on the
/// stack, with none of Microsoft.Data.Sqlite's per-execution work (a parameter's index looked up by its
/// name, its value converted, a reader object per run). Failures are the same
/// <see cref="SqliteException"/> Microsoft.Data.Sqlite throws. Every run ends with <see cref="Reset"/>,
/// so no statement stays active between runs. Not thread-safe: the writer thread owns it.
/// </summary>
internal sealed class SqliteRawStatement : IDisposable
{
    /// <summary>
    /// The longest text bound from the stack; longer ones (never an account name, which is at most
    /// <see cref="RelayServerLimits.MaxNameLength"/> ASCII bytes) are encoded on the heap.
    /// </summary>
    private const int MaxStackTextBytes = 256;

    private readonly sqlite3 _database;
    private readonly sqlite3_stmt _statement;

    /// <summary>Prepares <paramref name="sql"/> (one statement) on <paramref name="database"/>, to be kept.</summary>
    /// <param name="database">The writer connection's handle.</param>
    /// <param name="sql">The statement's text.</param>
    internal SqliteRawStatement(sqlite3 database, string sql)
    {
        _database = database;
        int rc = raw.sqlite3_prepare_v3(database, sql, raw.SQLITE_PREPARE_PERSISTENT, out sqlite3_stmt statement, out string tail);
        SqliteException.ThrowExceptionForRC(rc, database);
        if (!string.IsNullOrWhiteSpace(tail))
        {
            statement.Dispose();
            throw new ArgumentException("One statement only.", nameof(sql));
        }

        _statement = statement;
        ParameterCount = raw.sqlite3_bind_parameter_count(statement);
    }

    /// <summary>The statement's parameters (the largest index).</summary>
    internal int ParameterCount { get; }

    /// <summary>Binds an integer.</summary>
    /// <param name="index">The parameter's index, from 1.</param>
    /// <param name="value">The value.</param>
    /// <returns>This statement.</returns>
    internal SqliteRawStatement Bind(int index, long value)
    {
        Check(raw.sqlite3_bind_int64(_statement, index, value));
        return this;
    }

    /// <summary>Binds a blob (SQLite copies it).</summary>
    /// <param name="index">The parameter's index, from 1.</param>
    /// <param name="value">The value.</param>
    /// <returns>This statement.</returns>
    internal SqliteRawStatement Bind(int index, ReadOnlySpan<byte> value)
    {
        // An empty span would bind NULL (a null pointer); the stores never bind an empty blob, but a
        // zero-length blob stays a zero-length blob here, as through Microsoft.Data.Sqlite.
        Check(value.IsEmpty ? raw.sqlite3_bind_zeroblob(_statement, index, 0) : raw.sqlite3_bind_blob(_statement, index, value));
        return this;
    }

    /// <summary>Binds a text, encoded as UTF-8 (SQLite copies it).</summary>
    /// <param name="index">The parameter's index, from 1.</param>
    /// <param name="value">The value.</param>
    /// <returns>This statement.</returns>
    internal SqliteRawStatement Bind(int index, string value)
    {
        int length = Encoding.UTF8.GetMaxByteCount(value.Length);
        Span<byte> utf8 = length <= MaxStackTextBytes ? stackalloc byte[MaxStackTextBytes] : new byte[length];
        int written = Encoding.UTF8.GetBytes(value, utf8);

        // The span overload passes the length, so the text needs no terminator; an empty span would be a
        // null pointer (NULL), so an empty text goes through the string overload.
        Check(written == 0 ? raw.sqlite3_bind_text(_statement, index, string.Empty) : raw.sqlite3_bind_text(_statement, index, utf8[..written]));
        return this;
    }

    /// <summary>Runs the statement to its next row.</summary>
    /// <returns>Whether it produced a row (read it with the column methods); false when it is done.</returns>
    internal bool Step()
    {
        int rc = raw.sqlite3_step(_statement);
        if (rc == raw.SQLITE_ROW)
        {
            return true;
        }

        if (rc == raw.SQLITE_DONE)
        {
            return false;
        }

        // The step's own error code is in the handle as well; reset so the statement is not left active.
        raw.sqlite3_reset(_statement);
        SqliteException.ThrowExceptionForRC(rc, _database);
        return false;
    }

    /// <summary>Runs the statement to its end, then resets it.</summary>
    /// <returns>The rows it changed.</returns>
    internal int Execute()
    {
        try
        {
            while (Step())
            {
            }

            return raw.sqlite3_changes(_database);
        }
        finally
        {
            Reset();
        }
    }

    /// <summary>Whether the current row's column is NULL.</summary>
    /// <param name="column">The column, from 0.</param>
    /// <returns>Whether it is NULL.</returns>
    internal bool IsNull(int column) => raw.sqlite3_column_type(_statement, column) == raw.SQLITE_NULL;

    /// <summary>The current row's column as an integer.</summary>
    /// <param name="column">The column, from 0.</param>
    /// <returns>The value.</returns>
    internal long Int64(int column) => raw.sqlite3_column_int64(_statement, column);

    /// <summary>Ends the current run and clears its bindings, so the statement holds no values and no lock.</summary>
    internal void Reset()
    {
        raw.sqlite3_reset(_statement);
        raw.sqlite3_clear_bindings(_statement);
    }

    /// <summary>Finalizes the statement (before its connection closes).</summary>
    public void Dispose() => raw.sqlite3_finalize(_statement);

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(rc, _database);
        }
    }
}
