using System.Security.Cryptography;
using System.Text;
using E2eChat.Tests;

namespace E2eChat.Storage.Sqlite.Tests;

/// <summary>Runs the README's "Persisting state" example (the code between the markers) and checks that README.md shows exactly that code.</summary>
public sealed class ReadmePersistingStateTests : IDisposable
{
    private const string BeginMarker = "// README-BEGIN";
    private const string EndMarker = "// README-END";
    private readonly TempStore _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task PersistingState_AsInReadme_ConversationSurvivesARestart()
    {
        string dataDirectory = _temp.Directory;
        var aliceAddress = new ProtocolAddress("alice", 1);
        using var alice = new SessionManager(ProtocolStores.CreateInMemory(IdentityKeyPair.Generate()), aliceAddress);
        Func<PreKeyBundle, Task<CiphertextMessage>> customerWrites = async bundle =>
        {
            await alice.StartSessionAsync(new ProtocolAddress("acme-shoes", 1), bundle);
            return await alice.EncryptAsync(new ProtocolAddress("acme-shoes", 1), "Where is my order?"u8.ToArray());
        };
        CiphertextMessage? answer = null;

        // README-BEGIN
        // using E2eChat; using E2eChat.Storage.Sqlite;
        // using System.Security.Cryptography; using System.Text;

        // The storage key: 32 random bytes kept in the platform's key store (Keychain, Android Keystore,
        // DPAPI), never next to the file. Every value in the file is sealed under it and bound to its row.
        byte[] storageKey = RandomNumberGenerator.GetBytes(SealedState.StorageKeyLength);
        string path = Path.Combine(dataDirectory, "acme-shoes.db");
        var shopAddress = new ProtocolAddress("acme-shoes", 1);

        // One file holds every store (our identity is created with it); a first message commits its
        // session, consumed one-time keys and the customer's identity in one transaction.
        using (SqliteProtocolStore store = SqliteProtocolStore.Open(path, storageKey))
        {
            ProtocolStores stores = store.ToProtocolStores();
            using var shop = new SessionManager(stores, shopAddress);
            PreKeyGenerator generator = await stores.CreatePreKeyGeneratorAsync();
            await generator.GenerateAsync(oneTimeCount: 100);
            CiphertextMessage first = await customerWrites(await generator.CreateBundleAsync()); // the customer's side, as above
            Console.WriteLine(Encoding.UTF8.GetString(await shop.DecryptAsync(aliceAddress, first)));
        }

        // After a restart, or a crash at any point, the same file and key continue every conversation.
        try
        {
            using SqliteProtocolStore store = SqliteProtocolStore.Open(path, storageKey);
            using var shop = new SessionManager(store.ToProtocolStores(), shopAddress);
            answer = await shop.EncryptAsync(aliceAddress, Encoding.UTF8.GetBytes("It ships today."));
        }
        catch (E2eChatException e) when (e.Failure == E2eChatFailure.Unauthentic)
        {
            Console.WriteLine("Wrong storage key, or the file was tampered with.");
        }
        // README-END

        Assert.NotNull(answer);
        Assert.Equal("It ships today.", Encoding.UTF8.GetString(await alice.DecryptAsync(shopAddress, answer)));
    }

    [Fact]
    public void Readme_PersistingStateCodeBlock_EqualsTheTestedCode()
    {
        (string readme, string source) = ReadmeCode.Read("tests", "E2eChat.Storage.Sqlite.Tests", "ReadmePersistingStateTests.cs");
        Assert.Equal(ReadmeCode.Dedent(ReadmeCode.Between(source, BeginMarker, EndMarker)), ReadmeCode.CodeBlock(readme, "## Persisting state"));
    }
}
