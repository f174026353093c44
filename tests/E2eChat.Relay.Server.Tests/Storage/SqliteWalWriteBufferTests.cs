using E2eChat.Relay.Server.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace E2eChat.Relay.Server.Tests.Storage;

/// <summary>The WAL write buffer on a connection of its own: what it holds inside a transaction, and after a rollback.</summary>
public sealed class SqliteWalWriteBufferTests : IDisposable
{
    private readonly string _directory = TempDirectory.Create();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        TempDirectory.Delete(_directory);
    }

    [Fact]
    public void SpilledFrames_HeldUntilFlushedAfterRollback_ThenFileIntact()
    {
        Assert.True(SqliteWalWriteBuffer.EnsureRegistered());
        string path = Path.Combine(_directory, "buffer.db");
        using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Vfs = SqliteWalWriteBuffer.VfsName, Pooling = false }.ToString()))
        {
            connection.Open();
            Execute(connection, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA cache_size=16; CREATE TABLE t (x BLOB); INSERT INTO t VALUES (x'01');");

            // A transaction larger than the cache spills frames; the last ones stay in the buffer while
            // the transaction is open.
            Execute(connection, "BEGIN IMMEDIATE; WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 200) INSERT INTO t SELECT randomblob(3000) FROM c;");
            SqliteWalWriteCounts spilled = Counts(connection);
            Assert.InRange(spilled.Writes, 2 * 50, long.MaxValue);
            Assert.InRange(spilled.BufferedBytes, 1, SqliteWalWriteBuffer.BufferBytes);

            // Passed on at once, in one write, when asked (the store asks after every rollback).
            SqliteWalWriteBuffer.FlushAfterRollback(connection.Handle);
            SqliteWalWriteCounts flushed = Counts(connection);
            Assert.Equal(0, flushed.BufferedBytes);
            Assert.Equal(spilled.UnderlyingWrites + 1, flushed.UnderlyingWrites);

            Execute(connection, "ROLLBACK;");
            Execute(connection, "INSERT INTO t VALUES (x'02');");
            Assert.Equal(0, Counts(connection).BufferedBytes);
        }

        using var reader = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        reader.Open();
        Assert.Equal("ok", Scalar(reader, "PRAGMA integrity_check;"));
        Assert.Equal("0102", Scalar(reader, "SELECT hex(group_concat(x, '')) FROM (SELECT x FROM t ORDER BY rowid);"));
    }

    [Fact]
    public void FlushAfterRollback_OtherConnections_Ignored()
    {
        // A connection without the buffer (or none at all) is left alone.
        string path = Path.Combine(_directory, "plain.db");
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        Execute(connection, "PRAGMA journal_mode=WAL; CREATE TABLE t (x BLOB); BEGIN; INSERT INTO t VALUES (x'01');");
        SqliteWalWriteBuffer.FlushAfterRollback(connection.Handle);
        SqliteWalWriteBuffer.FlushAfterRollback(null);
        Execute(connection, "COMMIT;");
        Assert.Equal(1L, (long)Scalar(connection, "SELECT count(*) FROM t;")!);
    }

    private static SqliteWalWriteCounts Counts(SqliteConnection connection) =>
        SqliteWalWriteBuffer.TryGetCounts(connection.Handle, out SqliteWalWriteCounts counts) ? counts : throw new InvalidOperationException("The WAL is not open through the buffer.");

    private static void Execute(SqliteConnection connection, string sql) => SqliteRelayStore.Execute(connection, sql);

    private static object? Scalar(SqliteConnection connection, string sql) => SqliteRelayStore.Scalar(connection, sql);
}
