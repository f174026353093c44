using System.Security.Cryptography;
using E2eChat.Storage.Sqlite;

namespace E2eChat.Storage.Sqlite.Tests;

/// <summary>Test helper (not a test class): a temporary directory with a storage key and store files in it, deleted on dispose.</summary>
internal sealed class TempStore : IDisposable
{
    internal TempStore()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("e2echat-store-").FullName;
        RandomNumberGenerator.Fill(StorageKey);
    }

    /// <summary>The directory.</summary>
    internal string Directory { get; }

    /// <summary>A random 32-byte storage key.</summary>
    internal byte[] StorageKey { get; } = new byte[32];

    /// <summary>The main database path.</summary>
    internal string Path => System.IO.Path.Combine(Directory, "store.db");

    /// <summary>Opens (or creates) the store at <see cref="Path"/>.</summary>
    internal SqliteProtocolStore Open() => SqliteProtocolStore.Open(Path, StorageKey);

    /// <summary>
    /// What a process killed now would leave on disk: copies of the database and its write-ahead log
    /// (not the shared-memory index, which SQLite rebuilds), taken while the store is still open.
    /// </summary>
    internal string Snapshot(string name, string? from = null)
    {
        from ??= Path;
        string target = System.IO.Path.Combine(Directory, name + ".db");
        foreach (string suffix in new[] { string.Empty, "-wal" })
        {
            string source = from + suffix;
            if (File.Exists(source))
            {
                using var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                using var output = new FileStream(target + suffix, FileMode.Create, FileAccess.Write);
                input.CopyTo(output);
            }
        }

        return target;
    }

    /// <summary>Opens a snapshot taken by <see cref="Snapshot"/>.</summary>
    internal SqliteProtocolStore OpenSnapshot(string path) => SqliteProtocolStore.Open(path, StorageKey);

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a file still open on a failing test must not hide the failure.
        }
    }
}
