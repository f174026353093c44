
namespace E2eChat.Tests.Storage;

/// <summary>The conformance suite of <see cref="IOneTimePreKeyStore"/>, run against every implementation (public API only).</summary>
public abstract class OneTimePreKeyStoreContractTests : IDisposable
{
    /// <summary>The store under test.</summary>
    protected abstract IOneTimePreKeyStore Store { get; }

    /// <summary>The number of keys held.</summary>
    protected abstract int Count { get; }

    [Fact]
    public async Task GetOneTimePreKeyAsync_Missing_Null()
    {
        Assert.Null(await Store.GetOneTimePreKeyAsync(1));
    }

    [Fact]
    public async Task SaveOneTimePreKeyAsync_ThenGet_ReturnsEqualCopy()
    {
        using var key = OneTimePreKey.Generate(3);
        byte[] privateKey = ExportedBytes.Of(key.ExportPrivateKey());
        await Store.SaveOneTimePreKeyAsync(key);
        key.Dispose();
        using OneTimePreKey? loaded = await Store.GetOneTimePreKeyAsync(3);
        Assert.NotNull(loaded);
        Assert.Equal(3u, loaded.Id);
        Assert.Equal(privateKey, ExportedBytes.Of(loaded.ExportPrivateKey()));
    }

    [Fact]
    public async Task SaveOneTimePreKeyAsync_LargestId_RoundTrips()
    {
        using var key = OneTimePreKey.Generate(uint.MaxValue);
        await Store.SaveOneTimePreKeyAsync(key);
        using OneTimePreKey? loaded = await Store.GetOneTimePreKeyAsync(uint.MaxValue);
        Assert.Equal(key.PublicKey.ToArray(), loaded!.PublicKey.ToArray());
        Assert.True(await Store.RemoveOneTimePreKeyAsync(uint.MaxValue));
    }

    [Fact]
    public async Task RemoveOneTimePreKeyAsync_Consumed_GetReturnsNull()
    {
        using var key = OneTimePreKey.Generate(3);
        await Store.SaveOneTimePreKeyAsync(key);
        Assert.True(await Store.RemoveOneTimePreKeyAsync(3));
        Assert.Null(await Store.GetOneTimePreKeyAsync(3));
        Assert.Equal(0, Count);
        Assert.False(await Store.RemoveOneTimePreKeyAsync(3));
        Assert.False(await Store.RemoveOneTimePreKeyAsync(4));
    }

    [Fact]
    public async Task RemoveOneTimePreKeyAsync_ConcurrentCallers_ExactlyOneRemovesIt()
    {
        using var key = OneTimePreKey.Generate(3);
        await Store.SaveOneTimePreKeyAsync(key);
        bool[] removed = await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => Task.Run(async () => await Store.RemoveOneTimePreKeyAsync(3))));
        Assert.Equal(1, removed.Count(r => r));
    }

    [Fact]
    public async Task SaveOneTimePreKeyAsync_SameId_Replaces()
    {
        using var first = OneTimePreKey.Generate(3);
        using var second = OneTimePreKey.Generate(3);
        await Store.SaveOneTimePreKeyAsync(first);
        await Store.SaveOneTimePreKeyAsync(second);
        using OneTimePreKey? loaded = await Store.GetOneTimePreKeyAsync(3);
        Assert.Equal(second.PublicKey.ToArray(), loaded!.PublicKey.ToArray());
        Assert.Equal(1, Count);
    }

    [Fact]
    public async Task Methods_Cancelled_ThrowAndChangeNothing()
    {
        using var key = OneTimePreKey.Generate(3);
        await Store.SaveOneTimePreKeyAsync(key);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await Store.RemoveOneTimePreKeyAsync(3, cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await Store.GetOneTimePreKeyAsync(3, cancelled.Token));
        Assert.Equal(1, Count);
    }

    public abstract void Dispose();
}
