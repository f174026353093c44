using System.Runtime.InteropServices;
using E2eChat.Ratchet;
using Google.Protobuf;

namespace E2eChat.Tests.Ratchet;

public sealed class ProtobufSecretsTests
{
    private static byte[] Bytes(int length, byte value) => Enumerable.Repeat(value, length).ToArray();

    private static Span<byte> View(ByteString value) => MemoryMarshal.AsMemory(value.Memory).Span;

    [Fact]
    public void Wrap_Secret_ViewHoldsACopy()
    {
        byte[] secret = Bytes(32, 0x5A);
        using var secrets = new ProtobufSecrets();
        ByteString wrapped = secrets.Wrap(secret);
        secret[0] = 0;
        Assert.Equal(Bytes(32, 0x5A), wrapped.ToByteArray());
    }

    [Fact]
    public void Wrap_EmptySecret_Empty()
    {
        using var secrets = new ProtobufSecrets();
        Assert.True(secrets.Wrap([]).IsEmpty);
    }

    [Fact]
    public void Dispose_ManyChunks_WipesEverySecretHandedOut()
    {
        var secrets = new ProtobufSecrets();
        var views = new List<ByteString>();
        for (int i = 0; i < 1200; i++)
        {
            views.Add(secrets.Wrap(Bytes(32, unchecked((byte)(i | 1)))));
        }

        views.Add(secrets.Wrap(Bytes(20_000, 0x77)));
        Assert.All(views, view => Assert.DoesNotContain((byte)0, view.ToByteArray()));
        secrets.Dispose();
        Assert.All(views, view => Assert.True(View(view).IndexOfAnyExcept((byte)0) < 0));
    }

    [Fact]
    public void Wrap_TwoArenasAliveOnOneThread_DoNotShareMemory()
    {
        using (new ProtobufSecrets())
        {
            // Leaves a spare chunk on this thread once disposed.
        }

        using var first = new ProtobufSecrets();
        using var second = new ProtobufSecrets();
        ByteString a = first.Wrap(Bytes(32, 0xAA));
        ByteString b = second.Wrap(Bytes(32, 0xBB));
        Assert.False(View(a).Overlaps(View(b)));
        Assert.Equal(Bytes(32, 0xAA), a.ToByteArray());
        Assert.Equal(Bytes(32, 0xBB), b.ToByteArray());
    }

    [Fact]
    public void Wrap_AfterAnotherArenaDisposed_ReusedMemoryHoldsOnlyNewSecrets()
    {
        var first = new ProtobufSecrets();
        ByteString old = first.Wrap(Bytes(64, 0x11));
        first.Dispose();

        using var second = new ProtobufSecrets();
        ByteString fresh = second.Wrap(Bytes(16, 0x22));
        Assert.Equal(Bytes(16, 0x22), fresh.ToByteArray());

        // Whatever memory the old view shares with the new arena holds no byte of the old secret.
        Assert.DoesNotContain((byte)0x11, View(old).ToArray());
    }
}
