
namespace E2eChat.Tests.Storage;

public sealed class InMemoryIdentityStoreTests : IdentityStoreContractTests
{
    private readonly IdentityKeyPair _ours = IdentityKeyPair.Generate();
    private readonly InMemoryIdentityStore _store;

    public InMemoryIdentityStoreTests()
    {
        _store = new InMemoryIdentityStore(_ours);
    }

    protected override IIdentityStore Store => _store;

    protected override IdentityKey OurPublicKey => _ours.PublicKey;

    protected override int Count => _store.Count;

    [Fact]
    public async Task GetIdentityKeyPairAsync_ReturnsTheInstanceGiven()
    {
        Assert.Same(_ours, await _store.GetIdentityKeyPairAsync());
    }

    public override void Dispose()
    {
        _ours.Dispose();
        base.Dispose();
    }
}
