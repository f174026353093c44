using E2eChat.Crypto;

namespace E2eChat.Tests.Crypto;

public sealed class SodiumTests
{
    [Fact]
    public void EnsureInitialized_CalledTwice_SucceedsAndLibraryWorks()
    {
        Sodium.EnsureInitialized();
        Sodium.EnsureInitialized();

        Assert.True(Sodium.sodium_init() >= 0); // 1 = already initialized, 0 = first time, -1 = failure
    }
}
