using E2eChat.Groups;
using E2eChat.Storage;

namespace E2eChat.Tests.Storage;

public sealed class InMemorySenderKeyStoreTests : IDisposable
{
    private static readonly SenderKeyName s_name = new(new ProtocolAddress("alice", 1), new DistributionId(new byte[16]));
    private static readonly SenderKeyName s_otherDevice = new(new ProtocolAddress("alice", 2), new DistributionId(new byte[16]));
    private static readonly SenderKeyName s_otherDistribution = new(new ProtocolAddress("alice", 1), new DistributionId([.. new byte[15], 1]));

    private readonly InMemorySenderKeyStore _store = new();

    public void Dispose() => _store.Dispose();

    [Fact]
    public async Task LoadSenderKeyAsync_Missing_Null()
    {
        Assert.Null(await _store.LoadSenderKeyAsync(s_name));
        Assert.Empty(await _store.GetSenderKeyNamesAsync());
    }

    [Fact]
    public async Task StoreSenderKeyAsync_ThenLoad_ReturnsIndependentCopies()
    {
        byte[] record = [1, 2, 3];
        await _store.StoreSenderKeyAsync(s_name, record);
        record[0] = 9;

        byte[]? loaded = await _store.LoadSenderKeyAsync(s_name);
        Assert.Equal(new byte[] { 1, 2, 3 }, loaded);
        loaded![1] = 9;
        Assert.Equal(new byte[] { 1, 2, 3 }, await _store.LoadSenderKeyAsync(s_name));
    }

    [Fact]
    public async Task StoreSenderKeyAsync_SameName_Replaces_OtherNamesSeparate()
    {
        await _store.StoreSenderKeyAsync(s_name, new byte[] { 1 });
        await _store.StoreSenderKeyAsync(s_name, new byte[] { 2 });
        await _store.StoreSenderKeyAsync(s_otherDevice, new byte[] { 3 });
        await _store.StoreSenderKeyAsync(s_otherDistribution, new byte[] { 4 });

        Assert.Equal(3, _store.Count);
        Assert.Equal(new byte[] { 2 }, await _store.LoadSenderKeyAsync(s_name));
        Assert.Equal(new byte[] { 3 }, await _store.LoadSenderKeyAsync(s_otherDevice));
        Assert.Equal(new byte[] { 4 }, await _store.LoadSenderKeyAsync(s_otherDistribution));
        Assert.Equal(new HashSet<SenderKeyName> { s_name, s_otherDevice, s_otherDistribution }, (await _store.GetSenderKeyNamesAsync()).ToHashSet());
    }

    [Fact]
    public async Task RemoveSenderKeyAsync_RemovesOnlyThatRecord()
    {
        await _store.StoreSenderKeyAsync(s_name, new byte[] { 1 });
        await _store.StoreSenderKeyAsync(s_otherDevice, new byte[] { 2 });
        await _store.RemoveSenderKeyAsync(s_name);
        await _store.RemoveSenderKeyAsync(s_name);
        Assert.Null(await _store.LoadSenderKeyAsync(s_name));
        Assert.Equal(new byte[] { 2 }, await _store.LoadSenderKeyAsync(s_otherDevice));
        Assert.Equal(1, _store.Count);
    }

    [Fact]
    public async Task Methods_Cancelled_Throw()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await _store.LoadSenderKeyAsync(s_name, cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await _store.StoreSenderKeyAsync(s_name, new byte[] { 1 }, cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await _store.RemoveSenderKeyAsync(s_name, cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await _store.GetSenderKeyNamesAsync(cancelled.Token));
        Assert.Equal(0, _store.Count);
    }

    [Fact]
    public async Task Dispose_ThenUse_ThrowsObjectDisposed()
    {
        var store = new InMemorySenderKeyStore();
        await store.StoreSenderKeyAsync(s_name, new byte[] { 1 });
        store.Dispose();
        store.Dispose();
        Assert.Equal(0, store.Count);
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await store.LoadSenderKeyAsync(s_name));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await store.StoreSenderKeyAsync(s_name, new byte[] { 1 }));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await store.RemoveSenderKeyAsync(s_name));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await store.GetSenderKeyNamesAsync());
    }
}
