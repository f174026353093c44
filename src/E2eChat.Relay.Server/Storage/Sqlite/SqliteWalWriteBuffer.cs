using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace E2eChat.Relay.Server.Storage.Sqlite;

/// <summary>
/// A SQLite VFS shim (<see cref="VfsName"/>) over the default VFS that turns the many small writes of a
/// commit to the WAL into a few large ones: SQLite writes each WAL frame with two calls (its 24-byte header,
/// then the page), so a group commit of a few hundred frames cost as many <c>pwrite</c> system calls.
/// Only files opened as a WAL are wrapped; every other file is the default VFS's own, untouched. A WAL
/// file's writes that continue where the buffered ones end are collected (up to
/// <see cref="BufferBytes"/>, the most the default VFS writes in one call) and written as one before
/// anything else happens to the file: before <c>xSync</c>, <c>xRead</c>, <c>xTruncate</c>,
/// <c>xFileSize</c>, <c>xClose</c>, <c>xFileControl</c>, and before a write anywhere else (the WAL header
/// rewritten at offset 0 when the WAL starts over); the lock methods flush too, although SQLite takes a
/// WAL's locks in the database's shared memory and never calls them on a WAL file. After a transaction
/// the writer rolled back, the store passes on what is still buffered (<see cref="FlushAfterRollback"/>),
/// so no frame is written once the writer has let go of the WAL's write lock. A failed write's error code
/// comes back from the call that flushed, so SQLite fails and rolls back the transaction as it would have
/// at the write itself.
/// <para>
/// Why other connections never read a frame still in the buffer: they find frames only through the
/// wal-index (shared memory), and with <c>synchronous=FULL</c> SQLite syncs the WAL at each commit
/// (<c>walFrames</c> in <c>wal.c</c>: <c>sqlite3OsSync</c> when <c>WAL_SYNC_FLAGS(sync_flags)!=0</c>) before it
/// appends the frames to the wal-index and publishes the new header; the sync flushes the buffer first.
/// With <c>synchronous=NORMAL</c> there is no sync before the publication, so the store uses this VFS
/// only for a writer connection in <c>FULL</c> mode. When the database file does not declare
/// <c>SQLITE_IOCAP_POWERSAFE_OVERWRITE</c>, SQLite pads a commit to a sector boundary and writes the end
/// of the last frame after the sync. The shim sees only the WAL file, whose flag is the build's default,
/// as the database's is when it is opened by a plain path; the store therefore uses the shim only for a
/// plain path, never a <c>file:</c> URI (which could carry <c>psow=0</c>), and a WAL file without the flag
/// is not buffered either. Frames written before a commit (a page
/// cache spilling) are found by the writing connection itself through <c>xRead</c>, which flushes.
/// </para>
/// <para>
/// The WAL's durability is unchanged: a commit is durable once its sync returns, and the sync still
/// follows every byte of the commit. A process that dies with bytes in the buffer loses only frames
/// of a transaction that had not committed.
/// </para>
/// </summary>
internal static unsafe partial class SqliteWalWriteBuffer
{
    /// <summary>The VFS's name, for a connection string's <c>Vfs</c>.</summary>
    internal const string VfsName = "e2echat-walbuffer";

    /// <summary>
    /// The most bytes buffered per WAL file, and so the longest write passed on: the default (unix) VFS
    /// writes at most 0x1FFFF bytes per call (<c>seekAndWriteFd</c> in <c>os_unix.c</c> masks the length
    /// with <c>0x1ffff</c>, and a longer write fails as <c>SQLITE_FULL</c>). That is 31 frames of 4 KiB pages,
    /// so a group commit of 170 frames takes 6 writes instead of 340. Allocated at the first buffered write
    /// and freed at the file's close.
    /// </summary>
    internal const int BufferBytes = 0x1FFFF;

    /// <summary>
    /// The shim's header in front of the default VFS's file (<see cref="SqliteWalBufferFile"/>), rounded
    /// up to 8 bytes so the default VFS's file keeps the alignment SQLite gives the allocation.
    /// </summary>
    internal static readonly int HeaderSize = (sizeof(SqliteWalBufferFile) + 7) & ~7;

    /// <summary>The native library SQLitePCLRaw's bundled provider loads (<c>libe_sqlite3.so</c>), so the VFS is registered in the same SQLite.</summary>
    private const string Library = "e_sqlite3";

    /// <summary><c>SQLITE_OK</c>.</summary>
    private const int SqliteOk = 0;

    /// <summary><c>SQLITE_FCNTL_JOURNAL_POINTER</c>: the file control that yields the <c>sqlite3_file</c> of a database's journal or WAL.</summary>
    private const int JournalPointer = 28;

    /// <summary><c>SQLITE_OPEN_WAL</c>: the flag <c>xOpen</c> gets for a WAL file.</summary>
    private const int OpenWal = 0x00080000;

    /// <summary><c>SQLITE_IOCAP_POWERSAFE_OVERWRITE</c>: without it SQLite writes after the commit's sync (see the class).</summary>
    private const int PowersafeOverwrite = 0x00001000;

    /// <summary>The VFS version the shim needs of the default VFS (every field of <see cref="SqliteNativeVfs"/>).</summary>
    private const int RequiredVersion = 3;

    /// <summary>
    /// The version of the shim's methods for a WAL file: 1, without the shared-memory and memory-mapping
    /// methods, which SQLite calls only on the database file (the wal-index lives in the database's
    /// <c>-shm</c>, and only the database is memory-mapped), so a WAL file never needs them.
    /// </summary>
    private const int WalMethodsVersion = 1;

    private static readonly Lock s_gate = new();
    private static SqliteNativeVfs* s_real;
    private static SqliteNativeVfs* s_vfs;
    private static SqliteNativeIoMethods* s_methods;
    private static bool s_tried;

    /// <summary>
    /// Registers the VFS with SQLite once per process (not as the default). Returns false, and the store
    /// keeps the default VFS, when the default VFS is not one the shim can wrap.
    /// </summary>
    /// <returns>Whether <see cref="VfsName"/> can be used.</returns>
    internal static bool EnsureRegistered()
    {
        lock (s_gate)
        {
            if (!s_tried)
            {
                s_tried = true;
                Register();
            }

            return s_vfs is not null;
        }
    }

    /// <summary>The counts of <paramref name="database"/>'s WAL file while the shim has it open (for the tests).</summary>
    /// <param name="database">A connection's handle.</param>
    /// <param name="counts">The counts.</param>
    /// <returns>Whether the connection's WAL is open through the shim.</returns>
    internal static bool TryGetCounts(SQLitePCL.sqlite3? database, out SqliteWalWriteCounts counts)
    {
        SqliteWalBufferFile* file = FindWal(database);
        counts = file is null
            ? default
            : new SqliteWalWriteCounts(Volatile.Read(ref file->Writes), Volatile.Read(ref file->UnderlyingWrites), Volatile.Read(ref file->BufferLength));
        return file is not null;
    }

    /// <summary>Builds the VFS from the default one and registers it; leaves <see cref="s_vfs"/> null when it cannot.</summary>
    private static void Register()
    {
        // Microsoft.Data.Sqlite's provider loads the same native library this class imports from; with
        // another provider (SQLCipher, the system's SQLite) the VFS would be registered in a library the
        // connections do not use. The structs are laid out for 64-bit processes.
        SQLitePCL.Batteries_V2.Init();
        if (!Environment.Is64BitProcess || SQLitePCL.raw.GetNativeLibraryName() != Library)
        {
            return;
        }

        SqliteNativeVfs* real;
        try
        {
            real = sqlite3_vfs_find(null);
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            // A SQLite other than the bundled e_sqlite3: the writer keeps the default VFS.
            return;
        }

        if (real is null || real->Version < RequiredVersion)
        {
            return;
        }

        var vfs = (SqliteNativeVfs*)NativeMemory.AllocZeroed((nuint)sizeof(SqliteNativeVfs));
        var methods = (SqliteNativeIoMethods*)NativeMemory.AllocZeroed((nuint)sizeof(SqliteNativeIoMethods));
        byte[] name = [.. System.Text.Encoding.UTF8.GetBytes(VfsName), 0];
        byte* nameCopy = (byte*)NativeMemory.Alloc((nuint)name.Length);
        name.CopyTo(new Span<byte>(nameCopy, name.Length));

        // Every method but xOpen is the default VFS's own: they use the VFS argument only for fields
        // copied here unchanged (the path length, the VFS's data).
        *vfs = *real;
        vfs->Version = RequiredVersion;
        vfs->Next = null;
        vfs->Name = nameCopy;
        vfs->FileSize = checked(HeaderSize + real->FileSize);
        vfs->Open = &Open;

        methods->Version = WalMethodsVersion;
        methods->Close = &Close;
        methods->Read = &Read;
        methods->Write = &Write;
        methods->Truncate = &Truncate;
        methods->Sync = &Sync;
        methods->FileSize = &FileSize;
        methods->Lock = &LockFile;
        methods->Unlock = &Unlock;
        methods->CheckReservedLock = &CheckReservedLock;
        methods->FileControl = &FileControl;
        methods->SectorSize = &SectorSize;
        methods->DeviceCharacteristics = &DeviceCharacteristics;

        s_real = real;
        s_methods = methods;
        if (sqlite3_vfs_register(vfs, 0) != SqliteOk)
        {
            // Never freed: SQLite may keep nothing of it, but the pieces are a few hundred bytes once.
            return;
        }

        s_vfs = vfs;
    }

    /// <summary><c>xOpen</c>: a WAL file is opened inside the shim's file, with its buffer; any other file is the default VFS's own.</summary>
    [UnmanagedCallersOnly]
    private static int Open(SqliteNativeVfs* vfs, byte* name, SqliteNativeFile* file, int flags, int* outFlags)
    {
        if ((flags & OpenWal) == 0 || name is null)
        {
            // Not a WAL: the default VFS's file fills the allocation from its start, with its own methods.
            return s_real->Open(s_real, name, file, flags, outFlags);
        }

        var wrapper = (SqliteWalBufferFile*)file;
        var real = (SqliteNativeFile*)((byte*)file + HeaderSize);
        *wrapper = default;
        int rc = s_real->Open(s_real, name, real, flags, outFlags);
        if (real->Methods is null)
        {
            return rc;
        }

        wrapper->Real = real;
        wrapper->Methods = s_methods;
        if (rc == SqliteOk && (real->Methods->DeviceCharacteristics(real) & PowersafeOverwrite) != 0)
        {
            wrapper->Buffering = 1;
        }

        return rc;
    }

    /// <summary><c>xClose</c>: flushes, closes the default VFS's file, frees the buffer; a failed flush's code wins.</summary>
    [UnmanagedCallersOnly]
    private static int Close(SqliteNativeFile* file)
    {
        var wrapper = (SqliteWalBufferFile*)file;
        int flushed = Flush(wrapper);
        int rc = wrapper->Real->Methods->Close(wrapper->Real);
        if (wrapper->Buffer is not null)
        {
            NativeMemory.Free(wrapper->Buffer);
            wrapper->Buffer = null;
        }

        return flushed != SqliteOk ? flushed : rc;
    }

    /// <summary><c>xRead</c>: flushes first, so a read sees every write before it.</summary>
    [UnmanagedCallersOnly]
    private static int Read(SqliteNativeFile* file, void* buffer, int amount, long offset)
    {
        var wrapper = (SqliteWalBufferFile*)file;
        int rc = Flush(wrapper);
        return rc != SqliteOk ? rc : wrapper->Real->Methods->Read(wrapper->Real, buffer, amount, offset);
    }

    /// <summary><c>xWrite</c>: appends to the buffer when it continues it and fits; otherwise flushes and starts the buffer over with this write (or writes it through when larger than the buffer).</summary>
    [UnmanagedCallersOnly]
    private static int Write(SqliteNativeFile* file, void* buffer, int amount, long offset)
    {
        var wrapper = (SqliteWalBufferFile*)file;
        wrapper->Writes++;
        if (wrapper->Buffering == 0 || amount <= 0)
        {
            return WriteThrough(wrapper, buffer, amount, offset);
        }

        if (wrapper->BufferLength > 0
            && offset == wrapper->BufferOffset + wrapper->BufferLength
            && amount <= BufferBytes - wrapper->BufferLength)
        {
            Unsafe.CopyBlockUnaligned(wrapper->Buffer + wrapper->BufferLength, buffer, (uint)amount);
            wrapper->BufferLength += amount;
            return SqliteOk;
        }

        // Not a continuation, or it does not fit: what is buffered goes first, in order.
        int rc = Flush(wrapper);
        if (rc != SqliteOk)
        {
            return rc;
        }

        if (amount > BufferBytes)
        {
            return WriteThrough(wrapper, buffer, amount, offset);
        }

        if (wrapper->Buffer is null)
        {
            try
            {
                wrapper->Buffer = (byte*)NativeMemory.Alloc(BufferBytes);
            }
            catch (OutOfMemoryException)
            {
                // Nothing may escape to SQLite: unbuffered is merely slower.
                return WriteThrough(wrapper, buffer, amount, offset);
            }
        }

        Unsafe.CopyBlockUnaligned(wrapper->Buffer, buffer, (uint)amount);
        wrapper->BufferOffset = offset;
        wrapper->BufferLength = amount;
        return SqliteOk;
    }

    /// <summary><c>xTruncate</c>: flushes first.</summary>
    [UnmanagedCallersOnly]
    private static int Truncate(SqliteNativeFile* file, long size)
    {
        var wrapper = (SqliteWalBufferFile*)file;
        int rc = Flush(wrapper);
        return rc != SqliteOk ? rc : wrapper->Real->Methods->Truncate(wrapper->Real, size);
    }

    /// <summary><c>xSync</c>: flushes first, so the sync covers every write before it (with <c>synchronous=FULL</c>, before the commit is published).</summary>
    [UnmanagedCallersOnly]
    private static int Sync(SqliteNativeFile* file, int flags)
    {
        var wrapper = (SqliteWalBufferFile*)file;
        int rc = Flush(wrapper);
        return rc != SqliteOk ? rc : wrapper->Real->Methods->Sync(wrapper->Real, flags);
    }

    /// <summary><c>xFileSize</c>: flushes first, so the size counts every write.</summary>
    [UnmanagedCallersOnly]
    private static int FileSize(SqliteNativeFile* file, long* size)
    {
        var wrapper = (SqliteWalBufferFile*)file;
        int rc = Flush(wrapper);
        return rc != SqliteOk ? rc : wrapper->Real->Methods->FileSize(wrapper->Real, size);
    }

    /// <summary><c>xLock</c>: flushes first.</summary>
    [UnmanagedCallersOnly]
    private static int LockFile(SqliteNativeFile* file, int level)
    {
        var wrapper = (SqliteWalBufferFile*)file;
        int rc = Flush(wrapper);
        return rc != SqliteOk ? rc : wrapper->Real->Methods->Lock(wrapper->Real, level);
    }

    /// <summary><c>xUnlock</c>: flushes first.</summary>
    [UnmanagedCallersOnly]
    private static int Unlock(SqliteNativeFile* file, int level)
    {
        var wrapper = (SqliteWalBufferFile*)file;
        int rc = Flush(wrapper);
        return rc != SqliteOk ? rc : wrapper->Real->Methods->Unlock(wrapper->Real, level);
    }

    /// <summary><c>xCheckReservedLock</c>: flushes first.</summary>
    [UnmanagedCallersOnly]
    private static int CheckReservedLock(SqliteNativeFile* file, int* result)
    {
        var wrapper = (SqliteWalBufferFile*)file;
        int rc = Flush(wrapper);
        return rc != SqliteOk ? rc : wrapper->Real->Methods->CheckReservedLock(wrapper->Real, result);
    }

    /// <summary><c>xFileControl</c>: flushes first.</summary>
    [UnmanagedCallersOnly]
    private static int FileControl(SqliteNativeFile* file, int operation, void* argument)
    {
        var wrapper = (SqliteWalBufferFile*)file;
        int rc = Flush(wrapper);
        return rc != SqliteOk ? rc : wrapper->Real->Methods->FileControl(wrapper->Real, operation, argument);
    }

    /// <summary><c>xSectorSize</c>: forwarded.</summary>
    [UnmanagedCallersOnly]
    private static int SectorSize(SqliteNativeFile* file)
    {
        var wrapper = (SqliteWalBufferFile*)file;
        return wrapper->Real->Methods->SectorSize(wrapper->Real);
    }

    /// <summary><c>xDeviceCharacteristics</c>: forwarded.</summary>
    [UnmanagedCallersOnly]
    private static int DeviceCharacteristics(SqliteNativeFile* file)
    {
        var wrapper = (SqliteWalBufferFile*)file;
        return wrapper->Real->Methods->DeviceCharacteristics(wrapper->Real);
    }

    /// <summary>
    /// After the writer rolled a transaction back: passes on what its WAL file still buffers (frames a
    /// page cache spilled), so nothing of it is written later, when the connection no longer holds the
    /// WAL's write lock and another connection could have appended frames there. A failure leaves the
    /// bytes buffered; the next write, read or sync of the file tries again.
    /// </summary>
    /// <param name="database">The writer connection's handle.</param>
    internal static void FlushAfterRollback(SQLitePCL.sqlite3? database)
    {
        SqliteWalBufferFile* wal = FindWal(database);
        if (wal is not null)
        {
            _ = Flush(wal);
        }
    }

    /// <summary>The shim's file of <paramref name="database"/>'s WAL, or null when it has none open or opened it through another VFS.</summary>
    private static SqliteWalBufferFile* FindWal(SQLitePCL.sqlite3? database)
    {
        if (s_methods is null || database is null || database.IsInvalid)
        {
            return null;
        }

        SqliteNativeFile* wal = null;
        int rc;
        fixed (byte* main = "main\0"u8)
        {
            rc = sqlite3_file_control(database.DangerousGetHandle(), main, JournalPointer, &wal);
        }

        return rc == SqliteOk && wal is not null && wal->Methods == s_methods ? (SqliteWalBufferFile*)wal : null;
    }

    /// <summary>Writes what is buffered as one write; on failure the bytes stay buffered and the error code is returned.</summary>
    private static int Flush(SqliteWalBufferFile* wrapper)
    {
        if (wrapper->BufferLength == 0)
        {
            return SqliteOk;
        }

        int rc = WriteThrough(wrapper, wrapper->Buffer, wrapper->BufferLength, wrapper->BufferOffset);
        if (rc == SqliteOk)
        {
            wrapper->BufferLength = 0;
        }

        return rc;
    }

    /// <summary>Passes a write on to the default VFS's file, counting it.</summary>
    private static int WriteThrough(SqliteWalBufferFile* wrapper, void* buffer, int amount, long offset)
    {
        wrapper->UnderlyingWrites++;
        return wrapper->Real->Methods->Write(wrapper->Real, buffer, amount, offset);
    }

    /// <summary>SQLite's <c>sqlite3_vfs_find</c>: the named VFS, or the default one for null.</summary>
    [LibraryImport(Library)]
    private static partial SqliteNativeVfs* sqlite3_vfs_find(byte* name);

    /// <summary>SQLite's <c>sqlite3_file_control</c> (here: the WAL's <c>sqlite3_file</c> of a connection's main database).</summary>
    [LibraryImport(Library)]
    private static partial int sqlite3_file_control(nint database, byte* name, int operation, void* argument);

    /// <summary>SQLite's <c>sqlite3_vfs_register</c>.</summary>
    [LibraryImport(Library)]
    private static partial int sqlite3_vfs_register(SqliteNativeVfs* vfs, int makeDefault);
}
