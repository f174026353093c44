using System.Runtime.InteropServices;

namespace E2eChat.Relay.Server.Storage.Sqlite;

/// <summary>
/// The shim's <c>sqlite3_file</c> for a WAL file (see <see cref="SqliteWalWriteBuffer"/>): its methods
/// first, as SQLite requires, then the buffer's state; the default VFS's file follows it in the same
/// allocation, at <see cref="SqliteWalWriteBuffer.HeaderSize"/>.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct SqliteWalBufferFile
{
    /// <summary>The shim's methods (the field SQLite reads).</summary>
    public SqliteNativeIoMethods* Methods;

    /// <summary>The default VFS's file, which every method forwards to.</summary>
    public SqliteNativeFile* Real;

    /// <summary>The buffered bytes (allocated at the first buffered write), or null.</summary>
    public byte* Buffer;

    /// <summary>The file offset of the buffer's first byte.</summary>
    public long BufferOffset;

    /// <summary>How many bytes the buffer holds.</summary>
    public int BufferLength;

    /// <summary>Nonzero when this file's writes are buffered.</summary>
    public int Buffering;

    /// <summary>The writes SQLite asked of this file.</summary>
    public long Writes;

    /// <summary>The writes passed on to the default VFS's file.</summary>
    public long UnderlyingWrites;
}
