using System.Collections.Concurrent;
using System.Text;

namespace E2eChat.Relay.Server.Storage.Sqlite;

/// <summary>
/// Multi-row statements (<c>INSERT ... VALUES (...), (...)</c>) for the writer: one statement per chunk of
/// rows instead of one per row. Chunks have a power-of-two size up to <see cref="MaxRows"/>, so each
/// statement has at most a handful of texts and the writer's prepared-statement cache stays small.
/// Parameters are anonymous (<c>?</c>), so SQLite numbers them row by row, column by column, which is
/// how <see cref="Cell(SqliteRawStatement, int, int, int, long)"/> binds them.
/// </summary>
internal static class SqliteMultiRow
{
    /// <summary>
    /// Rows per statement at most: 64 rows of 5 columns is 320 parameters, far below SQLite's limit
    /// (32,766), and large enough that a full Send batch (64 envelopes) is one statement.
    /// </summary>
    internal const int MaxRows = 64;

    private static readonly ConcurrentDictionary<(string Head, string Tail, int Columns, int Rows), string> s_texts = new();

    /// <summary>The chunk sizes covering <paramref name="count"/> rows, largest first (powers of two, each at most <see cref="MaxRows"/>).</summary>
    /// <param name="count">The rows.</param>
    /// <returns>The sizes, summing to <paramref name="count"/>.</returns>
    internal static IEnumerable<int> Chunks(int count)
    {
        int left = count;
        while (left > 0)
        {
            int size = Math.Min(MaxRows, 1 << (31 - int.LeadingZeroCount(left)));
            yield return size;
            left -= size;
        }
    }

    /// <summary>The text <c>head VALUES (...), ... tail</c> for <paramref name="rows"/> rows of <paramref name="columns"/> parameters.</summary>
    /// <param name="head">What comes before <c>VALUES</c>.</param>
    /// <param name="tail">What follows the rows (e.g. <c>ON CONFLICT ...;</c>).</param>
    /// <param name="columns">Parameters per row.</param>
    /// <param name="rows">Rows.</param>
    /// <returns>The statement text (cached).</returns>
    internal static string Text(string head, string tail, int columns, int rows) =>
        s_texts.GetOrAdd((head, tail, columns, rows), static key =>
        {
            var text = new StringBuilder(key.Head).Append(" VALUES ");
            for (int r = 0; r < key.Rows; r++)
            {
                text.Append(r == 0 ? "(" : ", (");
                for (int c = 0; c < key.Columns; c++)
                {
                    text.Append(c == 0 ? "?" : ", ?");
                }

                text.Append(')');
            }

            return text.Append(' ').Append(key.Tail).ToString();
        });

    /// <summary>
    /// Binds a row's column of a multi-row statement: the parameter at index <c>row * columns + column + 1</c>
    /// (the texts of <see cref="Text"/> number their parameters in that order).
    /// </summary>
    /// <param name="statement">The statement.</param>
    /// <param name="columns">Parameters per row of the statement.</param>
    /// <param name="row">The row within the statement.</param>
    /// <param name="column">The column.</param>
    /// <param name="value">The value.</param>
    /// <returns><paramref name="statement"/>.</returns>
    internal static SqliteRawStatement Cell(this SqliteRawStatement statement, int columns, int row, int column, long value) =>
        statement.Bind(Index(columns, row, column), value);

    /// <inheritdoc cref="Cell(SqliteRawStatement, int, int, int, long)" />
    internal static SqliteRawStatement Cell(this SqliteRawStatement statement, int columns, int row, int column, string value) =>
        statement.Bind(Index(columns, row, column), value);

    /// <inheritdoc cref="Cell(SqliteRawStatement, int, int, int, long)" />
    internal static SqliteRawStatement Cell(this SqliteRawStatement statement, int columns, int row, int column, byte[] value) =>
        statement.Bind(Index(columns, row, column), value.AsSpan());

    private static int Index(int columns, int row, int column) => (row * columns) + column + 1;
}
