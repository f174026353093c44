
namespace E2eChat.Tests.Storage;

/// <summary>The versioned-store suite applied to an <see cref="ISenderKeyStore"/>, plus listing names (public API only).</summary>
public abstract class SenderKeyStoreContractTests : VersionedStoreContractTests<SenderKeyName>
{
    private static readonly SenderKeyName s_name = new(new ProtocolAddress("alice", 1), new DistributionId(new byte[16]));
    private static readonly SenderKeyName s_otherDevice = new(new ProtocolAddress("alice", 2), new DistributionId(new byte[16]));
    private static readonly SenderKeyName s_otherDistribution = new(new ProtocolAddress("alice", 1), new DistributionId([.. new byte[15], 1]));

    /// <summary>The store under test.</summary>
    protected abstract ISenderKeyStore Store { get; }

    protected override SenderKeyName KeyA => s_name;

    protected override SenderKeyName KeyB => s_otherDistribution;

    [Fact]
    public async Task GetSenderKeyNamesAsync_ListsHeldRecordsOnly()
    {
        Assert.Empty(await Store.GetSenderKeyNamesAsync());
        await Store.TryStoreSenderKeyAsync(s_name, new byte[] { 1 }, 0);
        await Store.TryStoreSenderKeyAsync(s_otherDevice, new byte[] { 3 }, 0);
        await Store.TryStoreSenderKeyAsync(s_otherDistribution, new byte[] { 4 }, 0);
        await Store.RemoveSenderKeyAsync(s_otherDevice);
        Assert.Equal(new HashSet<SenderKeyName> { s_name, s_otherDistribution }, (await Store.GetSenderKeyNamesAsync()).ToHashSet());
    }

    [Fact]
    public async Task GetSenderKeyNamesAsync_Cancelled_Throws()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await Store.GetSenderKeyNamesAsync(cancelled.Token));
    }

    protected override ValueTask<VersionedRecord> LoadAsync(SenderKeyName key, long knownVersion, CancellationToken cancellationToken = default) =>
        Store.LoadSenderKeyAsync(key, knownVersion, cancellationToken);

    protected override ValueTask<long> TryStoreAsync(SenderKeyName key, byte[] record, long expectedVersion, CancellationToken cancellationToken = default) =>
        Store.TryStoreSenderKeyAsync(key, record, expectedVersion, cancellationToken);

    protected override ValueTask DeleteAsync(SenderKeyName key, CancellationToken cancellationToken = default) =>
        Store.RemoveSenderKeyAsync(key, cancellationToken);
}
