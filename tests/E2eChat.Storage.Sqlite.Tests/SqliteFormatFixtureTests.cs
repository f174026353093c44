using System.Text;
using E2eChat.Tests.Storage;

namespace E2eChat.Storage.Sqlite.Tests;

/// <summary>
/// The frozen file of schema version 1 (Fixtures/store-v1.db) must keep loading in every later build.
/// Its content is deterministic (<see cref="WriteVersion1Content"/>); regenerate it only for a new
/// format, as a new file: <c>E2ECHAT_WRITE_STORE_FIXTURE=1 dotnet test tests/E2eChat.Storage.Sqlite.Tests --filter SqliteFormatFixtureTests</c>.
/// </summary>
public sealed class SqliteFormatFixtureTests : IDisposable
{
    private const string FixtureName = "store-v1.db";
    private static readonly ProtocolAddress s_bob = new("bob", 1);
    private static readonly ProtocolAddress s_dave = new("dave", 1);
    private static readonly SenderKeyName s_group = new(new ProtocolAddress("carol", 2), new DistributionId(Fill(0x01, DistributionId.Length)));
    private readonly TempStore _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task FrozenVersion1File_Loads()
    {
        string copy = Path.Combine(_temp.Directory, FixtureName);
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Fixtures", FixtureName), copy);
        using SqliteProtocolStore store = SqliteProtocolStore.Open(copy, StorageKey());
        await AssertVersion1ContentAsync(store);
    }

    [Fact]
    public async Task Version1Content_WrittenByThisBuild_LoadsTheSame()
    {
        string path = Path.Combine(_temp.Directory, FixtureName);
        await WriteVersion1Content(path);
        if (Environment.GetEnvironmentVariable("E2ECHAT_WRITE_STORE_FIXTURE") == "1")
        {
            string source = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "Fixtures", FixtureName);
            File.Copy(path, source, overwrite: true);
        }

        using SqliteProtocolStore store = SqliteProtocolStore.Open(path, StorageKey());
        await AssertVersion1ContentAsync(store);
    }

    private static async Task WriteVersion1Content(string path)
    {
        using IdentityKeyPair identity = IdentityKeyPair.Import(Fill(0x11, IdentityKeyPair.PrivateKeyLength));
        using SqliteProtocolStore store = SqliteProtocolStore.Open(path, StorageKey(), identity);
        using IdentityKeyPair peer = IdentityKeyPair.Import(Fill(0x22, IdentityKeyPair.PrivateKeyLength));
        await store.SaveIdentityAsync(s_bob, peer.PublicKey);
        using var oneTime = OneTimePreKey.Import(7, Fill(0x70, 32));
        await store.SaveOneTimePreKeyAsync(oneTime);
        using var signed = SignedPreKey.Import(2, Fill(0x20, 32), Fill(0x21, 64));
        await store.SaveSignedPreKeyAsync(signed);
        using var kem = KemPreKey.Import(3, KemPreKeyKind.LastResort, Fill(0x30, 2400), Fill(0x31, 64));
        await store.SaveKemPreKeyAsync(kem);
        long version = await store.TryStoreSessionAsync(s_bob, "session-1"u8.ToArray(), 0);
        await store.TryStoreSessionAsync(s_bob, "session-2"u8.ToArray(), version);
        await store.TryStoreSessionAsync(s_dave, "deleted"u8.ToArray(), 0);
        await store.DeleteSessionAsync(s_dave);
        await store.TryStoreSenderKeyAsync(s_group, "sender-key-1"u8.ToArray(), 0);
    }

    private static async Task AssertVersion1ContentAsync(SqliteProtocolStore store)
    {
        using IdentityKeyPair identity = IdentityKeyPair.Import(Fill(0x11, IdentityKeyPair.PrivateKeyLength));
        using IdentityKeyPair peer = IdentityKeyPair.Import(Fill(0x22, IdentityKeyPair.PrivateKeyLength));
        Assert.Equal(identity.PublicKey, (await store.GetIdentityKeyPairAsync()).PublicKey);
        Assert.Equal(peer.PublicKey, await store.GetIdentityAsync(s_bob));
        using (OneTimePreKey? oneTime = await store.GetOneTimePreKeyAsync(7))
        {
            Assert.Equal(Fill(0x70, 32), ExportedBytes.Of(oneTime!.ExportPrivateKey()));
        }

        using (SignedPreKey? signed = await store.GetSignedPreKeyAsync(2))
        {
            Assert.Equal(Fill(0x20, 32), ExportedBytes.Of(signed!.ExportPrivateKey()));
            Assert.Equal(Fill(0x21, 64), signed.Signature.ToArray());
        }

        using (KemPreKey? kem = await store.GetKemPreKeyAsync(3))
        {
            Assert.Equal(KemPreKeyKind.LastResort, kem!.Kind);
            Assert.Equal(Fill(0x30, 2400), ExportedBytes.Of(kem.ExportSecretKey()));
        }

        VersionedRecord session = await store.LoadSessionAsync(s_bob);
        Assert.Equal(2, session.Version);
        Assert.Equal("session-2", Encoding.ASCII.GetString(session.Record!));
        VersionedRecord deleted = await store.LoadSessionAsync(s_dave);
        Assert.Equal(2, deleted.Version);
        Assert.Null(deleted.Record);
        VersionedRecord senderKey = await store.LoadSenderKeyAsync(s_group);
        Assert.Equal(1, senderKey.Version);
        Assert.Equal("sender-key-1", Encoding.ASCII.GetString(senderKey.Record!));
        Assert.Equal(s_group, Assert.Single(await store.GetSenderKeyNamesAsync()));

        // Still writable where it left off.
        Assert.Equal(3, await store.TryStoreSessionAsync(s_bob, "session-3"u8.ToArray(), 2));
    }

    /// <summary>The fixture's storage key (a test value, not a secret).</summary>
    private static byte[] StorageKey() => [.. Enumerable.Range(0, 32).Select(i => (byte)i)];

    private static byte[] Fill(byte value, int length) => Enumerable.Repeat(value, length).ToArray();
}
