using Google.Protobuf;

namespace E2eChat.Cli.Vectors;

/// <summary>Small byte helpers for building vector inputs.</summary>
internal static class VectorBytes
{
    /// <summary>The UTF-8 bytes of a plaintext written as text in a script.</summary>
    /// <param name="text">The text.</param>
    /// <returns>Its UTF-8 encoding.</returns>
    internal static byte[] Text(string text) => System.Text.Encoding.UTF8.GetBytes(text);

    /// <summary>The X25519 public key of <paramref name="privateKey"/>.</summary>
    internal static byte[] X25519Public(ReadOnlySpan<byte> privateKey)
    {
        byte[] publicKey = new byte[X25519.KeyLength];
        X25519.DerivePublicKey(privateKey, publicKey);
        return publicKey;
    }

    /// <summary>A copy of <paramref name="bytes"/> with byte <paramref name="index"/> XORed with <paramref name="mask"/>.</summary>
    internal static byte[] Flip(ReadOnlySpan<byte> bytes, int index, byte mask = 0x01)
    {
        byte[] copy = bytes.ToArray();
        copy[index] ^= mask;
        return copy;
    }

    /// <summary>As <see cref="Flip(ReadOnlySpan{byte}, int, byte)"/>, for protobuf fields.</summary>
    internal static ByteString Flip(ByteString bytes, int index, byte mask = 0x01) =>
        ByteString.CopyFrom(Flip(bytes.Span, index, mask));
}
