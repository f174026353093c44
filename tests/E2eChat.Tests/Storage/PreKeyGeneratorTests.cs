using E2eChat.Crypto;
using E2eChat.Tests.Handshake;

namespace E2eChat.Tests.Storage;

public sealed class PreKeyGeneratorTests : IDisposable
{
    private readonly DeterministicRandomSource _random = TestRandom.FromSeed(31);
    private readonly IdentityKeyPair _identity;
    private readonly InMemorySignedPreKeyStore _signed = new();
    private readonly InMemoryOneTimePreKeyStore _oneTime = new();
    private readonly InMemoryKemPreKeyStore _kem = new();
    private readonly PreKeyGenerator _generator;

    public PreKeyGeneratorTests()
    {
        _identity = IdentityKeyPair.Generate(_random);
        _generator = new PreKeyGenerator(_identity, _signed, _oneTime, _kem, _random);
    }

    public void Dispose()
    {
        _signed.Dispose();
        _oneTime.Dispose();
        _kem.Dispose();
        _identity.Dispose();
        _random.Dispose();
    }

    [Fact]
    public async Task GenerateAsync_SavesSignedLastResortAndOneTimeKeys()
    {
        await _generator.GenerateAsync(4);
        Assert.Equal(1, _signed.Count);
        Assert.Equal(4, _oneTime.Count);
        Assert.Equal(5, _kem.Count);
        Assert.Equal([_generator.SignedPreKeyId], _signed.Ids);
        using KemPreKey? lastResort = await _kem.GetKemPreKeyAsync(_generator.LastResortKemPreKeyId);
        Assert.Equal(KemPreKeyKind.LastResort, lastResort!.Kind);
        Assert.Equal(4, _generator.UnpublishedOneTimePreKeyCount);
        Assert.Equal(4, _generator.UnpublishedOneTimeKemPreKeyCount);
        Assert.DoesNotContain(0u, _oneTime.Ids);
        Assert.DoesNotContain(0u, _kem.Ids);
    }

    [Fact]
    public async Task CreateBundleAsync_BeforeGenerate_ThrowsInvalidOperationException()
    {
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await _generator.CreateBundleAsync());
    }

    [Fact]
    public async Task CreateBundleAsync_Published_VerifiesAtPeer()
    {
        await _generator.GenerateAsync(2);
        PreKeyBundle bundle = await _generator.CreateBundleAsync();
        Assert.True(PreKeyBundle.TryParse(bundle.ToBytes(), out PreKeyBundle? parsed, out E2eChatFailure failure), failure.ToString());
        Assert.Equal(_identity.PublicKey, parsed.IdentityKey);
        Assert.Equal(_generator.SignedPreKeyId, parsed.SignedPreKeyId);
        Assert.True(parsed.HasOneTimePreKey);
        Assert.Equal(KemPreKeyKind.OneTime, parsed.KemPreKeyKind);
    }

    [Fact]
    public async Task CreateBundleAsync_Repeated_EachOneTimeKeyInOneBundleThenLastResort()
    {
        await _generator.GenerateAsync(2);
        PreKeyBundle first = await _generator.CreateBundleAsync();
        PreKeyBundle second = await _generator.CreateBundleAsync();
        PreKeyBundle third = await _generator.CreateBundleAsync();

        Assert.NotEqual(first.OneTimePreKeyId, second.OneTimePreKeyId);
        Assert.NotEqual(first.KemPreKeyId, second.KemPreKeyId);
        Assert.Contains(first.OneTimePreKeyId, _oneTime.Ids);
        Assert.Contains(second.OneTimePreKeyId, _oneTime.Ids);
        Assert.False(third.HasOneTimePreKey);
        Assert.Equal(KemPreKeyKind.LastResort, third.KemPreKeyKind);
        Assert.Equal(_generator.LastResortKemPreKeyId, third.KemPreKeyId);
        Assert.Equal(0, _generator.UnpublishedOneTimePreKeyCount);
    }

    [Fact]
    public async Task CreateBundleAsync_OneTimeKeyRemovedBeforePublishing_Skipped()
    {
        await _generator.GenerateAsync(2);
        uint removed = _oneTime.Ids[0];
        await _oneTime.RemoveOneTimePreKeyAsync(removed);
        PreKeyBundle bundle = await _generator.CreateBundleAsync();
        Assert.True(bundle.HasOneTimePreKey);
        Assert.NotEqual(removed, bundle.OneTimePreKeyId);
    }

    [Fact]
    public async Task GenerateAsync_Again_RotatesCurrentKeysAndKeepsOldOnes()
    {
        await _generator.GenerateAsync(0);
        uint oldSigned = _generator.SignedPreKeyId;
        uint oldLastResort = _generator.LastResortKemPreKeyId;
        await _generator.GenerateAsync(0);
        Assert.NotEqual(oldSigned, _generator.SignedPreKeyId);
        Assert.NotEqual(oldLastResort, _generator.LastResortKemPreKeyId);
        Assert.Equal(2, _signed.Count);
        Assert.Equal(2, _kem.Count);
        PreKeyBundle bundle = await _generator.CreateBundleAsync();
        Assert.Equal(_generator.SignedPreKeyId, bundle.SignedPreKeyId);
    }

    [Fact]
    public async Task GenerateAsync_NegativeCount_ThrowsArgumentOutOfRangeException()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await _generator.GenerateAsync(-1));
    }
}
