using E2eChat.Tests.Storage;

namespace E2eChat.Storage.Sqlite.Tests;

/// <summary>The shared conformance suite (tests/E2eChat.Tests/Storage/Conformance) against the SQLite store.</summary>
public sealed class SqliteOneTimePreKeyStoreTests : OneTimePreKeyStoreContractTests
{
    private readonly TempStore _temp = new();
    private readonly SqliteProtocolStore _store;

    public SqliteOneTimePreKeyStoreTests()
    {
        _store = _temp.Open();
    }

    protected override IOneTimePreKeyStore Store => _store;

    protected override int Count => _store.CountRows(StoreTable.OneTimePreKeys);

    public override void Dispose()
    {
        _store.Dispose();
        _temp.Dispose();
    }
}
