using E2eChat.Tests.Sessions;

namespace E2eChat.Tests.Storage;

/// <summary>The committer suite against the in-memory reference (<see cref="AtomicTestCommitter"/>), so that the suite's expectations are checked on both sides.</summary>
public sealed class AtomicTestCommitterTests : PreKeyMessageCommitterContractTests
{
    private readonly IdentityKeyPair _ours = IdentityKeyPair.Generate();
    private readonly ProtocolStores _stores;
    private readonly AtomicTestCommitter _committer;

    public AtomicTestCommitterTests()
    {
        _stores = ProtocolStores.CreateInMemory(_ours);
        _committer = new AtomicTestCommitter(_stores);
    }

    protected override ProtocolStores Stores => _stores;

    protected override IPreKeyMessageCommitter Committer => _committer;

    public override void Dispose()
    {
        _committer.Dispose();
        _ours.Dispose();
        base.Dispose();
    }
}
