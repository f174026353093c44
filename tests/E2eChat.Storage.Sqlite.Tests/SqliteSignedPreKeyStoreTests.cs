using E2eChat.Tests.Storage;

namespace E2eChat.Storage.Sqlite.Tests;

/// <summary>The shared conformance suite (tests/E2eChat.Tests/Storage/Conformance) against the SQLite store.</summary>
public sealed class SqliteSignedPreKeyStoreTests : SignedPreKeyStoreContractTests
{
    private readonly TempStore _temp = new();
    private readonly SqliteProtocolStore _store;

    public SqliteSignedPreKeyStoreTests()
    {
        _store = _temp.Open();
    }

    protected override ISignedPreKeyStore Store => _store;

    public override void Dispose()
    {
        _store.Dispose();
        _temp.Dispose();
        base.Dispose();
    }
}
