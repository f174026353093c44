
namespace E2eChat.Tests.Storage;

public sealed class InMemoryKemPreKeyStoreTests : KemPreKeyStoreContractTests
{
    private readonly InMemoryKemPreKeyStore _store = new();

    protected override IKemPreKeyStore Store => _store;

    public override void Dispose()
    {
        _store.Dispose();
        base.Dispose();
    }
}
