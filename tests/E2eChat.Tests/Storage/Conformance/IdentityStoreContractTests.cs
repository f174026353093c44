
namespace E2eChat.Tests.Storage;

/// <summary>
/// The conformance suite of <see cref="IIdentityStore"/> (trust on first use, PROTOCOL.md section 8.1),
/// run against every implementation. Public API only: the SQLite tests compile this file in.
/// </summary>
public abstract class IdentityStoreContractTests : IDisposable
{
    private static readonly ProtocolAddress s_bob = new("bob", 1);

    /// <summary>A peer's identity.</summary>
    protected IdentityKeyPair Bob { get; } = IdentityKeyPair.Generate();

    /// <summary>The same peer's changed identity.</summary>
    protected IdentityKeyPair BobAgain { get; } = IdentityKeyPair.Generate();

    /// <summary>The store under test.</summary>
    protected abstract IIdentityStore Store { get; }

    /// <summary>Our identity, as the store was created with.</summary>
    protected abstract IdentityKey OurPublicKey { get; }

    /// <summary>The number of peer addresses with a recorded identity.</summary>
    protected abstract int Count { get; }

    [Fact]
    public async Task GetIdentityKeyPairAsync_ReturnsOurs()
    {
        Assert.Equal(OurPublicKey, (await Store.GetIdentityKeyPairAsync()).PublicKey);
    }

    [Fact]
    public async Task GetIdentityAsync_Unknown_Null()
    {
        Assert.Null(await Store.GetIdentityAsync(s_bob));
    }

    [Fact]
    public async Task SaveIdentityAsync_FirstTime_FirstUseAndRecorded()
    {
        Assert.Equal(IdentitySaveResult.FirstUse, await Store.SaveIdentityAsync(s_bob, Bob.PublicKey));
        Assert.Equal(Bob.PublicKey, await Store.GetIdentityAsync(s_bob));
        Assert.Equal(1, Count);
    }

    [Fact]
    public async Task SaveIdentityAsync_Same_Unchanged()
    {
        await Store.SaveIdentityAsync(s_bob, Bob.PublicKey);
        Assert.Equal(IdentitySaveResult.Unchanged, await Store.SaveIdentityAsync(s_bob, Bob.PublicKey));
        Assert.Equal(1, Count);
    }

    [Fact]
    public async Task SaveIdentityAsync_Different_ConflictAndOriginalKept()
    {
        await Store.SaveIdentityAsync(s_bob, Bob.PublicKey);
        Assert.Equal(IdentitySaveResult.Conflict, await Store.SaveIdentityAsync(s_bob, BobAgain.PublicKey));
        Assert.Equal(Bob.PublicKey, await Store.GetIdentityAsync(s_bob));
    }

    [Fact]
    public async Task SaveIdentityAsync_ConcurrentFirstUses_ExactlyOneRecorded()
    {
        IdentitySaveResult[] results = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(async () =>
            await Store.SaveIdentityAsync(s_bob, i % 2 == 0 ? Bob.PublicKey : BobAgain.PublicKey))));
        Assert.Equal(1, results.Count(r => r == IdentitySaveResult.FirstUse));
        IdentityKey? recorded = await Store.GetIdentityAsync(s_bob);
        Assert.NotNull(recorded);
        Assert.Equal(1, Count);
    }

    [Fact]
    public async Task IsTrustedAsync_UnknownAddress_True()
    {
        Assert.True(await Store.IsTrustedAsync(s_bob, Bob.PublicKey));
    }

    [Fact]
    public async Task IsTrustedAsync_RecordedOrDifferent_TrueOrFalse()
    {
        await Store.SaveIdentityAsync(s_bob, Bob.PublicKey);
        Assert.True(await Store.IsTrustedAsync(s_bob, Bob.PublicKey));
        Assert.False(await Store.IsTrustedAsync(s_bob, BobAgain.PublicKey));
        Assert.True(await Store.IsTrustedAsync(new ProtocolAddress("bob", 2), BobAgain.PublicKey));
    }

    [Fact]
    public async Task ApproveIdentityAsync_ChangedIdentity_ReplacesAndTrusts()
    {
        await Store.SaveIdentityAsync(s_bob, Bob.PublicKey);
        await Store.ApproveIdentityAsync(s_bob, BobAgain.PublicKey);
        Assert.True(await Store.IsTrustedAsync(s_bob, BobAgain.PublicKey));
        Assert.False(await Store.IsTrustedAsync(s_bob, Bob.PublicKey));
        Assert.Equal(BobAgain.PublicKey, await Store.GetIdentityAsync(s_bob));
        Assert.Equal(1, Count);
    }

    [Fact]
    public async Task SaveIdentityAsync_Cancelled_ThrowsAndRecordsNothing()
    {
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await Store.SaveIdentityAsync(s_bob, Bob.PublicKey, cancellation.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await Store.ApproveIdentityAsync(s_bob, Bob.PublicKey, cancellation.Token));
        Assert.Equal(0, Count);
    }

    public virtual void Dispose()
    {
        Bob.Dispose();
        BobAgain.Dispose();
        GC.SuppressFinalize(this);
    }
}
