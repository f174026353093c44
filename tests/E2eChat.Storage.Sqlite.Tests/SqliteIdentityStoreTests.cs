using E2eChat.Tests.Storage;

namespace E2eChat.Storage.Sqlite.Tests;

/// <summary>The shared conformance suite (tests/E2eChat.Tests/Storage/Conformance) against the SQLite store.</summary>
public sealed class SqliteIdentityStoreTests : IdentityStoreContractTests
{
    private readonly TempStore _temp = new();
    private readonly SqliteProtocolStore _store;

    public SqliteIdentityStoreTests()
    {
        _store = _temp.Open();
        OurPublicKey = _store.GetIdentityKeyPairAsync().AsTask().Result.PublicKey;
    }

    protected override IIdentityStore Store => _store;

    protected override IdentityKey OurPublicKey { get; }

    protected override int Count => _store.CountRows(StoreTable.Identities);

    public override void Dispose()
    {
        _store.Dispose();
        _temp.Dispose();
        base.Dispose();
    }
}
