
namespace E2eChat.Tests.Storage;

public sealed class InMemorySessionStoreTests : SessionStoreContractTests
{
    private readonly InMemorySessionStore _store = new();

    protected override ISessionStore Store => _store;

    protected override int Count => _store.Count;

    [Fact]
    public async Task Dispose_WipesEveryRecord()
    {
        long version = await _store.TryStoreSessionAsync(KeyA, new byte[] { 1 }, 0);
        _store.Dispose();
        Assert.Equal(0, _store.Count);
        Assert.Null((await _store.LoadSessionAsync(KeyA, 0)).Record);
    }

    public override void Dispose() => _store.Dispose();
}
