using System.Buffers.Binary;
using System.Text;

namespace E2eChat.Storage.Sqlite.Tests;

/// <summary>Many operations at once, on one store and on two stores over one file (two processes).</summary>
public sealed class SqliteConcurrencyTests : IDisposable
{
    private const int Workers = 8;
    private const int IncrementsPerWorker = 25;
    private static readonly ProtocolAddress s_alice = new("alice", 1);
    private static readonly ProtocolAddress s_bob = new("bob", 1);
    private readonly TempStore _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task CompareAndSwapIncrements_ManyWorkersOneStore_NoUpdateLost()
    {
        using SqliteProtocolStore store = _temp.Open();
        await RunIncrementsAsync(Enumerable.Repeat<ISessionStore>(store, Workers).ToArray());
        VersionedRecord final = await store.LoadSessionAsync(s_alice);
        Assert.Equal(Workers * IncrementsPerWorker, BinaryPrimitives.ReadInt32BigEndian(final.Record));
        Assert.Equal((Workers * IncrementsPerWorker) + 1, final.Version);
    }

    [Fact]
    public async Task CompareAndSwapIncrements_TwoStoresOverOneFile_NoUpdateLost()
    {
        using SqliteProtocolStore first = _temp.Open();
        using SqliteProtocolStore second = _temp.Open();
        await RunIncrementsAsync([.. Enumerable.Range(0, Workers).Select(i => (ISessionStore)(i % 2 == 0 ? first : second))]);
        Assert.Equal(Workers * IncrementsPerWorker, BinaryPrimitives.ReadInt32BigEndian((await second.LoadSessionAsync(s_alice)).Record));
    }

    [Fact]
    public async Task OneTimeKeys_SavedAndRemovedConcurrently_EachRemovedExactlyOnce()
    {
        using SqliteProtocolStore store = _temp.Open();
        const int keys = 40;
        await Task.WhenAll(Enumerable.Range(1, keys).Select(id => Task.Run(async () =>
        {
            using var key = OneTimePreKey.Generate((uint)id);
            await store.SaveOneTimePreKeyAsync(key);
        })));

        bool[] removed = await Task.WhenAll(Enumerable.Range(0, keys * 3).Select(i => Task.Run(async () =>
            await store.RemoveOneTimePreKeyAsync((uint)((i % keys) + 1)))));
        Assert.Equal(keys, removed.Count(r => r));
        Assert.Equal(0, store.CountRows(StoreTable.OneTimePreKeys));
    }

    [Fact]
    public async Task TwoSessionManagersOverOneStore_EveryMessageDeliveredToBoth_AcceptedExactlyOnce()
    {
        const int messages = 30;
        using var aliceIdentity = IdentityKeyPair.Generate();
        using var alice = new SessionManager(ProtocolStores.CreateInMemory(aliceIdentity), s_alice);
        using SqliteProtocolStore bobStore = _temp.Open();
        PreKeyGenerator generator = await bobStore.ToProtocolStores().CreatePreKeyGeneratorAsync();
        await generator.GenerateAsync(1);
        await alice.StartSessionAsync(s_bob, await generator.CreateBundleAsync());
        var sent = new List<CiphertextMessage>();
        for (int i = 0; i < messages; i++)
        {
            sent.Add(await alice.EncryptAsync(s_bob, Encoding.UTF8.GetBytes($"message {i}")));
        }

        using var worker1 = new SessionManager(bobStore.ToProtocolStores(), s_bob);
        using var worker2 = new SessionManager(bobStore.ToProtocolStores(), s_bob);
        DecryptResult[] results = await Task.WhenAll(sent.SelectMany(m => new[] { worker1, worker2 }.Select(w => Task.Run(async () =>
            await w.TryDecryptAsync(s_alice, m)))));

        string[] accepted = [.. results.Where(r => r.IsSuccess).Select(r => Encoding.UTF8.GetString(r.Plaintext!))];
        Assert.Equal(messages, accepted.Length);
        Assert.Equal(Enumerable.Range(0, messages).Select(i => $"message {i}").Order(), accepted.Order());
    }

    private static async Task RunIncrementsAsync(ISessionStore[] stores)
    {
        byte[] zero = new byte[4];
        Assert.Equal(1, await stores[0].TryStoreSessionAsync(s_alice, zero, 0));
        await Task.WhenAll(stores.Select(store => Task.Run(async () =>
        {
            for (int i = 0; i < IncrementsPerWorker; i++)
            {
                while (true)
                {
                    VersionedRecord loaded = await store.LoadSessionAsync(s_alice);
                    byte[] next = new byte[4];
                    BinaryPrimitives.WriteInt32BigEndian(next, BinaryPrimitives.ReadInt32BigEndian(loaded.Record) + 1);
                    if (await store.TryStoreSessionAsync(s_alice, next, loaded.Version) != 0)
                    {
                        break;
                    }
                }
            }
        })));
    }
}
