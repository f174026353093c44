namespace E2eChat.Relay.Server.Storage.Sqlite;

/// <summary>What the WAL write buffer (<see cref="SqliteWalWriteBuffer"/>) counted for one open WAL file.</summary>
/// <param name="Writes">The writes SQLite asked of the file.</param>
/// <param name="UnderlyingWrites">The writes passed on to the file system (fewer when buffered).</param>
/// <param name="BufferedBytes">The bytes buffered and not yet passed on.</param>
internal readonly record struct SqliteWalWriteCounts(long Writes, long UnderlyingWrites, int BufferedBytes);
