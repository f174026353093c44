using E2eChat.Tests.Storage;

namespace E2eChat.Storage.Sqlite.Tests;

/// <summary>The shared conformance suite (tests/E2eChat.Tests/Storage/Conformance) against the SQLite store.</summary>
public sealed class SqlitePreKeyMessageCommitterTests : PreKeyMessageCommitterContractTests
{
    private readonly TempStore _temp = new();
    private readonly SqliteProtocolStore _store;

    public SqlitePreKeyMessageCommitterTests()
    {
        _store = _temp.Open();
        Stores = _store.ToProtocolStores();
    }

    protected override ProtocolStores Stores { get; }

    protected override IPreKeyMessageCommitter Committer => _store;

    public override void Dispose()
    {
        _store.Dispose();
        _temp.Dispose();
        base.Dispose();
    }
}
