
namespace E2eChat.Tests.Storage;

public sealed class InMemoryOneTimePreKeyStoreTests : OneTimePreKeyStoreContractTests
{
    private readonly InMemoryOneTimePreKeyStore _store = new();

    protected override IOneTimePreKeyStore Store => _store;

    protected override int Count => _store.Count;

    public override void Dispose() => _store.Dispose();
}
