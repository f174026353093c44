
namespace E2eChat.Tests.Storage;

/// <summary>The conformance suite of <see cref="IKemPreKeyStore"/>, run against every implementation (public API only).</summary>
public abstract class KemPreKeyStoreContractTests : IDisposable
{
    /// <summary>The identity that signs the keys.</summary>
    protected IdentityKeyPair Identity { get; } = IdentityKeyPair.Generate();

    /// <summary>The store under test.</summary>
    protected abstract IKemPreKeyStore Store { get; }

    [Fact]
    public async Task GetKemPreKeyAsync_Missing_Null()
    {
        Assert.Null(await Store.GetKemPreKeyAsync(1));
    }

    [Fact]
    public async Task SaveKemPreKeyAsync_BothKinds_ReturnedWithTheirKind()
    {
        using var lastResort = KemPreKey.Generate(Identity, 1, KemPreKeyKind.LastResort);
        using var oneTime = KemPreKey.Generate(Identity, 2, KemPreKeyKind.OneTime);
        await Store.SaveKemPreKeyAsync(lastResort);
        await Store.SaveKemPreKeyAsync(oneTime);
        using KemPreKey? loadedLastResort = await Store.GetKemPreKeyAsync(1);
        using KemPreKey? loadedOneTime = await Store.GetKemPreKeyAsync(2);
        Assert.Equal(KemPreKeyKind.LastResort, loadedLastResort!.Kind);
        Assert.Equal(KemPreKeyKind.OneTime, loadedOneTime!.Kind);
        Assert.Equal(ExportedBytes.Of(oneTime.ExportSecretKey()), ExportedBytes.Of(loadedOneTime.ExportSecretKey()));
        Assert.Equal(oneTime.PublicKey.ToArray(), loadedOneTime.PublicKey.ToArray());
        Assert.Equal(oneTime.Signature.ToArray(), loadedOneTime.Signature.ToArray());
    }

    [Fact]
    public async Task RemoveKemPreKeyAsync_Present_GetReturnsNull()
    {
        using var key = KemPreKey.Generate(Identity, 2, KemPreKeyKind.OneTime);
        await Store.SaveKemPreKeyAsync(key);
        Assert.True(await Store.RemoveKemPreKeyAsync(2));
        Assert.Null(await Store.GetKemPreKeyAsync(2));
        Assert.False(await Store.RemoveKemPreKeyAsync(2));
    }

    [Fact]
    public async Task RemoveKemPreKeyAsync_ConcurrentCallers_ExactlyOneRemovesIt()
    {
        using var key = KemPreKey.Generate(Identity, 2, KemPreKeyKind.OneTime);
        await Store.SaveKemPreKeyAsync(key);
        bool[] removed = await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => Task.Run(async () => await Store.RemoveKemPreKeyAsync(2))));
        Assert.Equal(1, removed.Count(r => r));
    }

    public virtual void Dispose()
    {
        Identity.Dispose();
        GC.SuppressFinalize(this);
    }
}
