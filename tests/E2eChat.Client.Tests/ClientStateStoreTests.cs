using System.Security.Cryptography;
using E2eChat.Client.Tests.Infrastructure;
using E2eChat.Wire;

namespace E2eChat.Client.Tests;

public sealed class ClientStateStoreTests : IDisposable
{
    private readonly string _directory = TestDirectory.Create();
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);
    private readonly ProtocolAddress _device = new("alice", 1);

    private string FilePath => Path.Combine(_directory, "client.db");

    [Fact]
    public void ReserveIds_AfterReopen_ContinuesWithoutOverlap()
    {
        using (ClientStateStore state = ClientStateStore.Open(FilePath, _key, _device, AccountKind.Person))
        {
            Assert.Equal(1u, state.ReserveIds(PreKeyIdKind.OneTime, 100));
            Assert.Equal(101u, state.ReserveIds(PreKeyIdKind.OneTime, 5));
            Assert.Equal(1u, state.ReserveIds(PreKeyIdKind.Kem, 1));
        }

        using (ClientStateStore state = ClientStateStore.Open(FilePath, _key, _device, AccountKind.Person))
        {
            Assert.Equal(106u, state.ReserveIds(PreKeyIdKind.OneTime, 1));
            Assert.Equal(2u, state.ReserveIds(PreKeyIdKind.Kem, 1));
            Assert.Equal(1u, state.ReserveIds(PreKeyIdKind.Signed, 1));
        }
    }

    [Fact]
    public void MarkReceived_AfterReopen_Remembered_AndNotReadableInFile()
    {
        byte[] messageId = RandomNumberGenerator.GetBytes(16);
        var sender = new ProtocolAddress("some-sender", 7);
        using (ClientStateStore state = ClientStateStore.Open(FilePath, _key, _device, AccountKind.Person))
        {
            Assert.False(state.WasReceived(sender, messageId));
            state.MarkReceived(sender, messageId, 1000);
            state.MarkReceived(sender, messageId, 1000);
            Assert.True(state.WasReceived(sender, messageId));
            Assert.False(state.WasReceived(new ProtocolAddress("some-sender", 8), messageId));
        }

        using (ClientStateStore state = ClientStateStore.Open(FilePath, _key, _device, AccountKind.Person))
        {
            Assert.True(state.WasReceived(sender, messageId));
            Assert.Equal(0, state.ForgetReceivedBefore(1000));
            Assert.Equal(1, state.ForgetReceivedBefore(1001));
            Assert.False(state.WasReceived(sender, messageId));
        }

        byte[] file = File.ReadAllBytes(FilePath);
        Assert.Equal(-1, file.AsSpan().IndexOf(messageId));
        Assert.Equal(-1, file.AsSpan().IndexOf("some-sender"u8));
    }

    [Fact]
    public void SetPublished_AfterReopen_Kept()
    {
        using (ClientStateStore state = ClientStateStore.Open(FilePath, _key, _device, AccountKind.Person))
        {
            Assert.True(state.GetPublished().IsEmpty);
            state.SetPublished(new PublishedPreKeys(3, 4, 5));
        }

        using ClientStateStore reopened = ClientStateStore.Open(FilePath, _key, _device, AccountKind.Person);
        Assert.Equal(new PublishedPreKeys(3, 4, 5), reopened.GetPublished());
    }

    [Fact]
    public void Open_OtherDevice_Refused()
    {
        ClientStateStore.Open(FilePath, _key, _device, AccountKind.Person).Dispose();

        Assert.Throws<ArgumentException>(() => ClientStateStore.Open(FilePath, _key, _device, AccountKind.Business));
        Assert.Throws<ArgumentException>(() => ClientStateStore.Open(FilePath, _key, new ProtocolAddress("bob", 1), AccountKind.Person));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        TestDirectory.Delete(_directory);
    }
}
