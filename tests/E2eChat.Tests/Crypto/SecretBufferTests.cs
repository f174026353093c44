using E2eChat.Crypto;

namespace E2eChat.Tests.Crypto;

public sealed class SecretBufferTests
{
    [Fact]
    public void Dispose_AfterContentWritten_WipesEveryByte()
    {
        var buffer = new SecretBuffer(new byte[] { 0xde, 0xad, 0xbe, 0xef, 0x42 });
        ReadOnlySpan<byte> view = buffer.Span; // still points at the owned array after disposal

        buffer.Dispose();

        Assert.True(buffer.IsDisposed);
        Assert.Equal(new byte[5], view.ToArray());
    }

    [Fact]
    public void Span_AfterDispose_ThrowsObjectDisposed()
    {
        var buffer = new SecretBuffer(3);
        buffer.Dispose();
        buffer.Dispose(); // a second dispose is harmless

        Assert.Throws<ObjectDisposedException>(() => buffer.Span.Length);
        Assert.Throws<ObjectDisposedException>(() => buffer.Clone());
    }

    [Fact]
    public void ToString_WithContent_ShowsLengthOnly()
    {
        using var buffer = new SecretBuffer(new byte[] { 0xab, 0xcd, 0xef, 0x17 });

        string text = buffer.ToString();

        Assert.Equal("SecretBuffer(4 bytes)", text);
        Assert.DoesNotContain("AB", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("171", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_FromSpan_CopiesInsteadOfAliasing()
    {
        byte[] source = [1, 2, 3];
        using var buffer = new SecretBuffer(source);

        source[0] = 9;

        Assert.Equal(new byte[] { 1, 2, 3 }, buffer.Span.ToArray());
    }

    [Fact]
    public void Constructor_NegativeLength_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SecretBuffer(-1));
    }

    [Fact]
    public void Clone_ThenDisposeOriginal_KeepsIndependentCopy()
    {
        var original = new SecretBuffer(new byte[] { 7, 8, 9 });
        using SecretBuffer copy = original.Clone();

        Assert.True(copy.ContentEquals(original));
        original.Dispose();

        Assert.Equal(new byte[] { 7, 8, 9 }, copy.Span.ToArray());
    }

    [Fact]
    public void ContentEquals_DifferentContentOrLength_ReturnsFalse()
    {
        using var a = new SecretBuffer(new byte[] { 1, 2, 3 });
        using var b = new SecretBuffer(new byte[] { 1, 2, 4 });
        using var c = new SecretBuffer(new byte[] { 1, 2 });

        Assert.False(a.ContentEquals(b));
        Assert.False(a.ContentEquals(c));
    }
}
