using System.Runtime.InteropServices;

namespace E2eChat.Relay.Server.Storage.Sqlite;

/// <summary>
/// SQLite's <c>sqlite3_vfs</c> (version 3), laid out as in <c>sqlite3.h</c>: the shim
/// (<see cref="SqliteWalWriteBuffer"/>) copies the default VFS into one of these and replaces its name,
/// its file size and its <c>xOpen</c>; every other method is the default VFS's own.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct SqliteNativeVfs
{
    /// <summary>The structure's version (3 has every field below).</summary>
    public int Version;

    /// <summary>The size of the VFS's <c>sqlite3_file</c>, which SQLite allocates for each open file.</summary>
    public int FileSize;

    /// <summary>The longest path name.</summary>
    public int MaxPathname;

    /// <summary>SQLite's list of registered VFSes.</summary>
    public SqliteNativeVfs* Next;

    /// <summary>The VFS's name (UTF-8, zero-terminated).</summary>
    public byte* Name;

    /// <summary>The VFS's own data.</summary>
    public void* AppData;

    /// <summary><c>xOpen(vfs, name, file, flags, outFlags)</c>.</summary>
    public delegate* unmanaged<SqliteNativeVfs*, byte*, SqliteNativeFile*, int, int*, int> Open;

    /// <summary><c>xDelete</c>, <c>xAccess</c>, <c>xFullPathname</c>, <c>xDlOpen</c>, <c>xDlError</c>, <c>xDlSym</c>, <c>xDlClose</c>, <c>xRandomness</c>, <c>xSleep</c>, <c>xCurrentTime</c>, <c>xGetLastError</c>, <c>xCurrentTimeInt64</c>, <c>xSetSystemCall</c>, <c>xGetSystemCall</c>, <c>xNextSystemCall</c>: taken over unchanged.</summary>
    public fixed long OtherMethods[15];
}
