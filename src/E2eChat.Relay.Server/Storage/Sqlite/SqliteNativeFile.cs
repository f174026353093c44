using System.Runtime.InteropServices;

namespace E2eChat.Relay.Server.Storage.Sqlite;

/// <summary>
/// The start of SQLite's <c>sqlite3_file</c>, which every VFS extends with its own fields: the file's
/// methods. A VFS sets them in <c>xOpen</c> (or leaves them null when the open failed).
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct SqliteNativeFile
{
    /// <summary>The file's methods.</summary>
    public SqliteNativeIoMethods* Methods;
}
