using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using E2eChat.Storage.Sqlite;

namespace E2eChat.Benchmarks;

/// <summary>
/// The client stores: the SQLite store (<see cref="SqliteProtocolStore"/>: sealed values, WAL with
/// <c>synchronous=FULL</c>, so every write waits for the disk) next to the in-memory stores, for the
/// operations a session manager makes per message, for one-time pre-keys, and for a whole message round
/// trip through two <see cref="SessionManager"/>s with both ends on the same kind of store.
/// </summary>
/// <remarks>Not sealed: BenchmarkDotNet derives from it.</remarks>
[MemoryDiagnoser]
public class StoreBenchmarks : IDisposable
{
    /// <summary>Bytes of the session record the store benchmarks write (a record after a few round trips is about this size).</summary>
    public const int RecordLength = 1500;

    private static readonly ProtocolAddress s_alice = new("alice", 1);
    private static readonly ProtocolAddress s_bob = new("bob", 1);
    private readonly byte[] _record = RandomNumberGenerator.GetBytes(RecordLength);
    private readonly byte[] _plaintext = RandomNumberGenerator.GetBytes(100);
    private readonly List<IDisposable> _owned = [];
    private string? _directory;
    private ProtocolStores? _aliceStores;
    private SessionManager? _alice;
    private SessionManager? _bob;
    private OneTimePreKey? _oneTimeKey;
    private long _version;

    /// <summary>Which stores: <c>InMemory</c> or <c>Sqlite</c> (a file in a temporary directory).</summary>
    [Params("InMemory", "Sqlite")]
    public string Store { get; set; } = "InMemory";

    /// <summary>Creates the stores of both ends, a session between them and one stored record.</summary>
    [GlobalSetup]
    public void Setup() => SetupAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>Load a record by the version the caller holds (what a manager asks before every operation; no bytes come back).</summary>
    /// <returns>The version.</returns>
    [Benchmark]
    public long LoadSessionKnownVersion() => _aliceStores!.Sessions.LoadSessionAsync(s_bob, _version).AsTask().GetAwaiter().GetResult().Version;

    /// <summary>Load a record and write it back by compare-and-swap (what a manager does per message).</summary>
    /// <returns>The new version.</returns>
    [Benchmark]
    public long LoadAndCompareAndSwapSession()
    {
        ISessionStore sessions = _aliceStores!.Sessions;
        VersionedRecord loaded = sessions.LoadSessionAsync(s_bob).AsTask().GetAwaiter().GetResult();
        _version = sessions.TryStoreSessionAsync(s_bob, _record, loaded.Version).AsTask().GetAwaiter().GetResult();
        return _version != 0 ? _version : throw new InvalidOperationException("The compare-and-swap lost against nobody.");
    }

    /// <summary>Save a one-time pre-key and consume it (a refill and a handshake's removal).</summary>
    /// <returns>Whether the removal took the key (always).</returns>
    [Benchmark]
    public bool SaveAndRemoveOneTimePreKey()
    {
        _aliceStores!.OneTimePreKeys.SaveOneTimePreKeyAsync(_oneTimeKey!).AsTask().GetAwaiter().GetResult();
        return _aliceStores.OneTimePreKeys.RemoveOneTimePreKeyAsync(_oneTimeKey!.Id).AsTask().GetAwaiter().GetResult()
            ? true
            : throw new InvalidOperationException("The key was not there.");
    }

    /// <summary>One 100-byte message each way through two session managers, each over its own store of the kind measured.</summary>
    /// <returns>The last plaintext.</returns>
    [Benchmark]
    public byte[] SessionManagerRoundTrip() => RoundTripAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>Closes the stores and deletes the files.</summary>
    [GlobalCleanup]
    public void Cleanup() => Dispose();

    /// <inheritdoc/>
    public void Dispose()
    {
        _alice?.Dispose();
        _bob?.Dispose();
        _oneTimeKey?.Dispose();
        foreach (IDisposable owned in _owned)
        {
            owned.Dispose();
        }

        _owned.Clear();
        if (_directory is not null && Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }

        _directory = null;
        GC.SuppressFinalize(this);
    }

    private async ValueTask SetupAsync()
    {
        _directory = Directory.CreateTempSubdirectory("e2echat-store-bench-").FullName;
        _aliceStores = CreateStores("alice");
        ProtocolStores bobStores = CreateStores("bob");
        _alice = new SessionManager(_aliceStores, s_alice);
        _bob = new SessionManager(bobStores, s_bob);
        PreKeyGenerator generator = await bobStores.CreatePreKeyGeneratorAsync();
        await generator.GenerateAsync(1);
        await _alice.StartSessionAsync(s_bob, await generator.CreateBundleAsync());
        _ = await RoundTripAsync();
        _oneTimeKey = OneTimePreKey.Generate(0x7000_0000);
        _version = (await _aliceStores.Sessions.LoadSessionAsync(s_bob)).Version;
    }

    private ProtocolStores CreateStores(string name)
    {
        if (Store == "Sqlite")
        {
            SqliteProtocolStore store = SqliteProtocolStore.Open(Path.Combine(_directory!, name + ".db"), RandomNumberGenerator.GetBytes(SealedState.StorageKeyLength));
            _owned.Add(store);
            return store.ToProtocolStores();
        }

        var identity = IdentityKeyPair.Generate();
        _owned.Add(identity);
        return ProtocolStores.CreateInMemory(identity);
    }

    private async ValueTask<byte[]> RoundTripAsync()
    {
        CiphertextMessage toBob = await _alice!.EncryptAsync(s_bob, _plaintext);
        _ = await _bob!.DecryptAsync(s_alice, toBob);
        CiphertextMessage toAlice = await _bob.EncryptAsync(s_alice, _plaintext);
        return await _alice.DecryptAsync(s_bob, toAlice);
    }
}
