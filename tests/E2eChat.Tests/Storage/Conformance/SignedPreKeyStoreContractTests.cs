
namespace E2eChat.Tests.Storage;

/// <summary>The conformance suite of <see cref="ISignedPreKeyStore"/>, run against every implementation (public API only).</summary>
public abstract class SignedPreKeyStoreContractTests : IDisposable
{
    /// <summary>The identity that signs the keys.</summary>
    protected IdentityKeyPair Identity { get; } = IdentityKeyPair.Generate();

    /// <summary>The store under test.</summary>
    protected abstract ISignedPreKeyStore Store { get; }

    [Fact]
    public async Task GetSignedPreKeyAsync_Missing_Null()
    {
        Assert.Null(await Store.GetSignedPreKeyAsync(1));
    }

    [Fact]
    public async Task SaveSignedPreKeyAsync_ThenGet_ReturnsEqualCopy()
    {
        using var key = SignedPreKey.Generate(Identity, 5);
        await Store.SaveSignedPreKeyAsync(key);
        using SignedPreKey? loaded = await Store.GetSignedPreKeyAsync(5);
        Assert.NotNull(loaded);
        Assert.NotSame(key, loaded);
        Assert.Equal(key.PublicKey.ToArray(), loaded.PublicKey.ToArray());
        Assert.Equal(key.Signature.ToArray(), loaded.Signature.ToArray());
        Assert.Equal(ExportedBytes.Of(key.ExportPrivateKey()), ExportedBytes.Of(loaded.ExportPrivateKey()));
    }

    [Fact]
    public async Task SaveSignedPreKeyAsync_DisposingOriginalAndLoadedCopies_StoreStillUsable()
    {
        var key = SignedPreKey.Generate(Identity, 5);
        byte[] privateKey = ExportedBytes.Of(key.ExportPrivateKey());
        await Store.SaveSignedPreKeyAsync(key);
        key.Dispose();
        (await Store.GetSignedPreKeyAsync(5))!.Dispose();
        using SignedPreKey? loaded = await Store.GetSignedPreKeyAsync(5);
        Assert.Equal(privateKey, ExportedBytes.Of(loaded!.ExportPrivateKey()));
    }

    [Fact]
    public async Task SaveSignedPreKeyAsync_SameId_Replaces()
    {
        using var first = SignedPreKey.Generate(Identity, 5);
        using var second = SignedPreKey.Generate(Identity, 5);
        await Store.SaveSignedPreKeyAsync(first);
        await Store.SaveSignedPreKeyAsync(second);
        using SignedPreKey? loaded = await Store.GetSignedPreKeyAsync(5);
        Assert.Equal(second.PublicKey.ToArray(), loaded!.PublicKey.ToArray());
    }

    [Fact]
    public async Task RemoveSignedPreKeyAsync_Present_GoneAndOthersKept()
    {
        using var first = SignedPreKey.Generate(Identity, 1);
        using var second = SignedPreKey.Generate(Identity, 2);
        await Store.SaveSignedPreKeyAsync(first);
        await Store.SaveSignedPreKeyAsync(second);
        await Store.RemoveSignedPreKeyAsync(1);
        await Store.RemoveSignedPreKeyAsync(99);
        Assert.Null(await Store.GetSignedPreKeyAsync(1));
        using SignedPreKey? kept = await Store.GetSignedPreKeyAsync(2);
        Assert.Equal(second.PublicKey.ToArray(), kept!.PublicKey.ToArray());
    }

    public virtual void Dispose()
    {
        Identity.Dispose();
        GC.SuppressFinalize(this);
    }
}
