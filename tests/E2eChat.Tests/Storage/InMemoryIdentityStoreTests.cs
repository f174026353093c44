using E2eChat.Crypto;
using E2eChat.Keys;
using E2eChat.Storage;
using E2eChat.Tests.Handshake;

namespace E2eChat.Tests.Storage;

public sealed class InMemoryIdentityStoreTests : IDisposable
{
    private static readonly ProtocolAddress s_bob = new("bob", 1);
    private readonly DeterministicRandomSource _random = TestRandom.FromSeed(21);
    private readonly IdentityKeyPair _ours;
    private readonly IdentityKeyPair _bob;
    private readonly IdentityKeyPair _bobAgain;
    private readonly InMemoryIdentityStore _store;

    public InMemoryIdentityStoreTests()
    {
        _ours = IdentityKeyPair.Generate(_random);
        _bob = IdentityKeyPair.Generate(_random);
        _bobAgain = IdentityKeyPair.Generate(_random);
        _store = new InMemoryIdentityStore(_ours);
    }

    public void Dispose()
    {
        _ours.Dispose();
        _bob.Dispose();
        _bobAgain.Dispose();
        _random.Dispose();
    }

    [Fact]
    public async Task GetIdentityKeyPairAsync_ReturnsOurs()
    {
        Assert.Same(_ours, await _store.GetIdentityKeyPairAsync());
    }

    [Fact]
    public async Task GetIdentityAsync_Unknown_Null()
    {
        Assert.Null(await _store.GetIdentityAsync(s_bob));
    }

    [Fact]
    public async Task SaveIdentityAsync_FirstTime_FirstUseAndRecorded()
    {
        Assert.Equal(IdentitySaveResult.FirstUse, await _store.SaveIdentityAsync(s_bob, _bob.PublicKey));
        Assert.Equal(_bob.PublicKey, await _store.GetIdentityAsync(s_bob));
        Assert.Equal(1, _store.Count);
    }

    [Fact]
    public async Task SaveIdentityAsync_Same_Unchanged()
    {
        await _store.SaveIdentityAsync(s_bob, _bob.PublicKey);
        Assert.Equal(IdentitySaveResult.Unchanged, await _store.SaveIdentityAsync(s_bob, _bob.PublicKey));
    }

    [Fact]
    public async Task SaveIdentityAsync_Different_ConflictAndOriginalKept()
    {
        await _store.SaveIdentityAsync(s_bob, _bob.PublicKey);
        Assert.Equal(IdentitySaveResult.Conflict, await _store.SaveIdentityAsync(s_bob, _bobAgain.PublicKey));
        Assert.Equal(_bob.PublicKey, await _store.GetIdentityAsync(s_bob));
    }

    [Fact]
    public async Task IsTrustedAsync_UnknownAddress_True()
    {
        Assert.True(await _store.IsTrustedAsync(s_bob, _bob.PublicKey));
    }

    [Fact]
    public async Task IsTrustedAsync_RecordedOrDifferent_TrueOrFalse()
    {
        await _store.SaveIdentityAsync(s_bob, _bob.PublicKey);
        Assert.True(await _store.IsTrustedAsync(s_bob, _bob.PublicKey));
        Assert.False(await _store.IsTrustedAsync(s_bob, _bobAgain.PublicKey));
        Assert.True(await _store.IsTrustedAsync(new ProtocolAddress("bob", 2), _bobAgain.PublicKey));
    }

    [Fact]
    public async Task ApproveIdentityAsync_ChangedIdentity_ReplacesAndTrusts()
    {
        await _store.SaveIdentityAsync(s_bob, _bob.PublicKey);
        await _store.ApproveIdentityAsync(s_bob, _bobAgain.PublicKey);
        Assert.True(await _store.IsTrustedAsync(s_bob, _bobAgain.PublicKey));
        Assert.False(await _store.IsTrustedAsync(s_bob, _bob.PublicKey));
        Assert.Equal(_bobAgain.PublicKey, await _store.GetIdentityAsync(s_bob));
    }

    [Fact]
    public async Task SaveIdentityAsync_Cancelled_ThrowsAndRecordsNothing()
    {
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();
        await Assert.ThrowsAsync<OperationCanceledException>(async () => await _store.SaveIdentityAsync(s_bob, _bob.PublicKey, cancellation.Token));
        Assert.Equal(0, _store.Count);
    }
}
