using System.Runtime.InteropServices;

namespace E2eChat.Relay.Server.Storage.Sqlite;

/// <summary>SQLite's <c>sqlite3_io_methods</c> (version 3), laid out as in <c>sqlite3.h</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct SqliteNativeIoMethods
{
    /// <summary>The structure's version: 1 has the methods up to <see cref="DeviceCharacteristics"/>, 2 adds the shared-memory ones, 3 the memory-mapped ones.</summary>
    public int Version;

    /// <summary><c>xClose(file)</c>.</summary>
    public delegate* unmanaged<SqliteNativeFile*, int> Close;

    /// <summary><c>xRead(file, buffer, amount, offset)</c>.</summary>
    public delegate* unmanaged<SqliteNativeFile*, void*, int, long, int> Read;

    /// <summary><c>xWrite(file, buffer, amount, offset)</c>.</summary>
    public delegate* unmanaged<SqliteNativeFile*, void*, int, long, int> Write;

    /// <summary><c>xTruncate(file, size)</c>.</summary>
    public delegate* unmanaged<SqliteNativeFile*, long, int> Truncate;

    /// <summary><c>xSync(file, flags)</c>.</summary>
    public delegate* unmanaged<SqliteNativeFile*, int, int> Sync;

    /// <summary><c>xFileSize(file, size)</c>.</summary>
    public delegate* unmanaged<SqliteNativeFile*, long*, int> FileSize;

    /// <summary><c>xLock(file, level)</c>.</summary>
    public delegate* unmanaged<SqliteNativeFile*, int, int> Lock;

    /// <summary><c>xUnlock(file, level)</c>.</summary>
    public delegate* unmanaged<SqliteNativeFile*, int, int> Unlock;

    /// <summary><c>xCheckReservedLock(file, result)</c>.</summary>
    public delegate* unmanaged<SqliteNativeFile*, int*, int> CheckReservedLock;

    /// <summary><c>xFileControl(file, operation, argument)</c>.</summary>
    public delegate* unmanaged<SqliteNativeFile*, int, void*, int> FileControl;

    /// <summary><c>xSectorSize(file)</c>.</summary>
    public delegate* unmanaged<SqliteNativeFile*, int> SectorSize;

    /// <summary><c>xDeviceCharacteristics(file)</c>.</summary>
    public delegate* unmanaged<SqliteNativeFile*, int> DeviceCharacteristics;

    /// <summary><c>xShmMap(file, region, regionSize, extend, address)</c>.</summary>
    public delegate* unmanaged<SqliteNativeFile*, int, int, int, void**, int> ShmMap;

    /// <summary><c>xShmLock(file, offset, count, flags)</c>.</summary>
    public delegate* unmanaged<SqliteNativeFile*, int, int, int, int> ShmLock;

    /// <summary><c>xShmBarrier(file)</c>.</summary>
    public delegate* unmanaged<SqliteNativeFile*, void> ShmBarrier;

    /// <summary><c>xShmUnmap(file, delete)</c>.</summary>
    public delegate* unmanaged<SqliteNativeFile*, int, int> ShmUnmap;

    /// <summary><c>xFetch(file, offset, amount, address)</c>.</summary>
    public delegate* unmanaged<SqliteNativeFile*, long, int, void**, int> Fetch;

    /// <summary><c>xUnfetch(file, offset, address)</c>.</summary>
    public delegate* unmanaged<SqliteNativeFile*, long, void*, int> Unfetch;
}
