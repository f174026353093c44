using E2eChat.Tests.Storage;
using Microsoft.Data.Sqlite;

namespace E2eChat.Storage.Sqlite.Tests;

public sealed class SqliteProtocolStoreTests : IDisposable
{
    private static readonly ProtocolAddress s_bob = new("bob", 1);
    private static readonly ProtocolAddress s_carol = new("carol", 1);
    private static readonly SenderKeyName s_group = new(s_bob, new DistributionId([.. new byte[15], 9]));
    private readonly TempStore _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Open_NewFile_WalModeAndSchemaVersion2()
    {
        using (SqliteProtocolStore store = _temp.Open())
        {
            Assert.Equal(_temp.Path, store.Path);
        }

        Assert.Equal("wal", Scalar("PRAGMA journal_mode"));
        Assert.Equal(2L, Scalar("SELECT version FROM schema_version"));
    }

    [Fact]
    public async Task Reopen_KeepsEveryStore()
    {
        IdentityKey ours;
        using var peer = IdentityKeyPair.Generate();
        using var oneTime = OneTimePreKey.Generate(3);
        long sessionVersion;
        long senderKeyVersion;
        using (SqliteProtocolStore store = _temp.Open())
        {
            ours = (await store.GetIdentityKeyPairAsync()).PublicKey;
            await store.SaveIdentityAsync(s_bob, peer.PublicKey);
            await store.SaveOneTimePreKeyAsync(oneTime);
            using var signed = SignedPreKey.Generate(await store.GetIdentityKeyPairAsync(), 4);
            await store.SaveSignedPreKeyAsync(signed);
            using var kem = KemPreKey.Generate(await store.GetIdentityKeyPairAsync(), 5, KemPreKeyKind.LastResort);
            await store.SaveKemPreKeyAsync(kem);
            sessionVersion = await store.TryStoreSessionAsync(s_bob, new byte[] { 1, 2 }, 0);
            senderKeyVersion = await store.TryStoreSenderKeyAsync(s_group, new byte[] { 3 }, 0);
        }

        using (SqliteProtocolStore store = _temp.Open())
        {
            Assert.Equal(ours, (await store.GetIdentityKeyPairAsync()).PublicKey);
            Assert.Equal(peer.PublicKey, await store.GetIdentityAsync(s_bob));
            using OneTimePreKey? loadedOneTime = await store.GetOneTimePreKeyAsync(3);
            Assert.Equal(oneTime.PublicKey.ToArray(), loadedOneTime!.PublicKey.ToArray());
            using SignedPreKey? signed = await store.GetSignedPreKeyAsync(4);
            Assert.NotNull(signed);
            using KemPreKey? kem = await store.GetKemPreKeyAsync(5);
            Assert.Equal(KemPreKeyKind.LastResort, kem!.Kind);
            VersionedRecord session = await store.LoadSessionAsync(s_bob);
            Assert.Equal(sessionVersion, session.Version);
            Assert.Equal(new byte[] { 1, 2 }, session.Record);
            Assert.Equal(senderKeyVersion, (await store.LoadSenderKeyAsync(s_group)).Version);
            Assert.Equal(s_group, Assert.Single(await store.GetSenderKeyNamesAsync()));
        }
    }

    [Fact]
    public async Task Open_GivenIdentity_StoresACopyAndChecksItOnReopen()
    {
        using var identity = IdentityKeyPair.Generate();
        using (SqliteProtocolStore store = SqliteProtocolStore.Open(_temp.Path, _temp.StorageKey, identity))
        {
            Assert.NotSame(identity, await store.GetIdentityKeyPairAsync());
            Assert.Equal(identity.PublicKey, (await store.GetIdentityKeyPairAsync()).PublicKey);
        }

        Assert.Equal(identity.PublicKey, identity.PublicKey); // still usable: the store disposed its own copy
        using (SqliteProtocolStore store = SqliteProtocolStore.Open(_temp.Path, _temp.StorageKey, identity))
        {
            Assert.Equal(identity.PublicKey, (await store.GetIdentityKeyPairAsync()).PublicKey);
        }

        using var other = IdentityKeyPair.Generate();
        Assert.Throws<ArgumentException>(() => SqliteProtocolStore.Open(_temp.Path, _temp.StorageKey, other));
    }

    [Fact]
    public void Open_WrongStorageKey_Unauthentic()
    {
        _temp.Open().Dispose();
        byte[] wrong = (byte[])_temp.StorageKey.Clone();
        wrong[0] ^= 1;
        var e = Assert.Throws<E2eChatException>(() => SqliteProtocolStore.Open(_temp.Path, wrong));
        Assert.True(e.Failure == E2eChatFailure.Unauthentic);
    }

    [Fact]
    public void Open_BadArguments_Throw()
    {
        Assert.Throws<ArgumentException>(() => SqliteProtocolStore.Open(_temp.Path, new byte[31]));
        Assert.Throws<ArgumentException>(() => SqliteProtocolStore.Open(string.Empty, _temp.StorageKey));
        Assert.False(File.Exists(_temp.Path));
    }

    [Fact]
    public void Open_NewerSchemaVersion_UnknownVersion()
    {
        _temp.Open().Dispose();
        Execute("UPDATE schema_version SET version = 3");
        var e = Assert.Throws<E2eChatException>(() => _temp.Open());
        Assert.True(e.Failure == E2eChatFailure.UnknownVersion);
    }

    [Fact]
    public void Open_NotADatabase_Corrupt()
    {
        File.WriteAllBytes(_temp.Path, [.. Enumerable.Range(0, 4096).Select(i => unchecked((byte)(i * 7)))]);
        var e = Assert.Throws<E2eChatException>(() => _temp.Open());
        Assert.True(e.Failure == E2eChatFailure.Corrupt);
    }

    [Fact]
    public void Open_SomeoneElsesDatabase_Corrupt()
    {
        using (var connection = new SqliteConnection($"Data Source={_temp.Path};Pooling=False"))
        {
            connection.Open();
            using SqliteCommand command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE notes (id INTEGER)";
            command.ExecuteNonQuery();
        }

        var e = Assert.Throws<E2eChatException>(() => _temp.Open());
        Assert.True(e.Failure == E2eChatFailure.Corrupt);
    }

    [Fact]
    public void Open_TableMissing_Corrupt()
    {
        _temp.Open().Dispose();
        Execute("DROP TABLE sender_keys");
        var e = Assert.Throws<E2eChatException>(() => _temp.Open());
        Assert.True(e.Failure == E2eChatFailure.Corrupt);
    }

    [Fact]
    public async Task Load_ValueCopiedToAnotherAddressRow_Unauthentic()
    {
        using (SqliteProtocolStore store = _temp.Open())
        {
            await store.TryStoreSessionAsync(s_bob, new byte[] { 1 }, 0);
            await store.TryStoreSessionAsync(s_carol, new byte[] { 2 }, 0);
        }

        // Both rows now hold the same sealed record: it opens in its own row only.
        Execute("UPDATE sessions SET record = (SELECT record FROM sessions ORDER BY address LIMIT 1)");
        using (SqliteProtocolStore store = _temp.Open())
        {
            int failures = 0;
            foreach (ProtocolAddress address in new[] { s_bob, s_carol })
            {
                try
                {
                    await store.LoadSessionAsync(address);
                }
                catch (E2eChatException e) when (e.Failure == E2eChatFailure.Unauthentic)
                {
                    failures++;
                }
            }

            Assert.Equal(1, failures);
        }
    }

    [Fact]
    public async Task Get_ValueCopiedToAnotherTableOrId_Unauthentic()
    {
        using (SqliteProtocolStore store = _temp.Open())
        {
            using var oneTime = OneTimePreKey.Generate(1);
            await store.SaveOneTimePreKeyAsync(oneTime);
        }

        Execute("INSERT INTO signed_pre_keys (id, value) SELECT id, value FROM one_time_pre_keys");
        Execute("INSERT INTO one_time_pre_keys (id, value) SELECT 2, value FROM one_time_pre_keys WHERE id = 1");
        using (SqliteProtocolStore store = _temp.Open())
        {
            Assert.True((await Assert.ThrowsAsync<E2eChatException>(async () => await store.GetSignedPreKeyAsync(1))).Failure == E2eChatFailure.Unauthentic);
            Assert.True((await Assert.ThrowsAsync<E2eChatException>(async () => await store.GetOneTimePreKeyAsync(2))).Failure == E2eChatFailure.Unauthentic);
            using OneTimePreKey? original = await store.GetOneTimePreKeyAsync(1);
            Assert.NotNull(original);
        }
    }

    [Fact]
    public async Task Load_ValueChanged_UnauthenticAndNothingChanged()
    {
        using (SqliteProtocolStore store = _temp.Open())
        {
            await store.TryStoreSenderKeyAsync(s_group, new byte[] { 1, 2, 3 }, 0);
            await store.SaveIdentityAsync(s_bob, (await store.GetIdentityKeyPairAsync()).PublicKey);
        }

        Execute("UPDATE sender_keys SET record = CAST(substr(record, 1, 30) || x'00' || substr(record, 32) AS BLOB)");
        Execute("UPDATE identities SET value = CAST(substr(value, 1, length(value) - 1) AS BLOB)");
        using (SqliteProtocolStore store = _temp.Open())
        {
            Assert.True((await Assert.ThrowsAsync<E2eChatException>(async () => await store.LoadSenderKeyAsync(s_group))).Failure == E2eChatFailure.Unauthentic);
            Assert.True((await Assert.ThrowsAsync<E2eChatException>(async () => await store.GetIdentityAsync(s_bob))).Failure == E2eChatFailure.Unauthentic);
            Assert.Equal(1, (await store.LoadSenderKeyAsync(s_group, knownVersion: 1)).Version);
        }
    }

    [Fact]
    public async Task Load_ColumnOfTheWrongType_Corrupt()
    {
        using (SqliteProtocolStore store = _temp.Open())
        {
            await store.TryStoreSessionAsync(s_bob, new byte[] { 1 }, 0);
            using var oneTime = OneTimePreKey.Generate(1);
            await store.SaveOneTimePreKeyAsync(oneTime);
        }

        Execute("UPDATE sessions SET record = 'text'");
        Execute("UPDATE one_time_pre_keys SET value = 42");
        using (SqliteProtocolStore store = _temp.Open())
        {
            Assert.True((await Assert.ThrowsAsync<E2eChatException>(async () => await store.LoadSessionAsync(s_bob))).Failure == E2eChatFailure.Corrupt);
            Assert.True((await Assert.ThrowsAsync<E2eChatException>(async () => await store.GetOneTimePreKeyAsync(1))).Failure == E2eChatFailure.Corrupt);
        }
    }

    [Fact]
    public async Task Dispose_ThenUse_ObjectDisposed()
    {
        SqliteProtocolStore store = _temp.Open();
        store.Dispose();
        store.Dispose();
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await store.LoadSessionAsync(s_bob));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await store.GetIdentityKeyPairAsync());
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await store.RemoveOneTimePreKeyAsync(1));
    }

    [Fact]
    public async Task ToProtocolStores_UsesTheStoreForEveryConcernAndAsCommitter()
    {
        using SqliteProtocolStore store = _temp.Open();
        ProtocolStores stores = store.ToProtocolStores();
        Assert.Same(store, stores.PreKeyMessageCommitter);
        Assert.Same(store, stores.Sessions);
        PreKeyGenerator generator = await stores.CreatePreKeyGeneratorAsync();
        await generator.GenerateAsync(3);
        Assert.Equal(3, store.CountRows(StoreTable.OneTimePreKeys));
        Assert.Equal(4, store.CountRows(StoreTable.KemPreKeys));
        Assert.Equal(1, store.CountRows(StoreTable.SignedPreKeys));
    }

    private object? Scalar(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={_temp.Path};Pooling=False");
        connection.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private void Execute(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={_temp.Path};Pooling=False");
        connection.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
