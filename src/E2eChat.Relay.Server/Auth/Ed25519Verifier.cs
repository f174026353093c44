using System.Buffers;
using NSec.Cryptography;

namespace E2eChat.Relay.Server.Auth;

/// <summary>
/// Strict Ed25519 verification (libsodium through NSec) of domain-separated signatures
/// <c>label || 0x00 || body</c> (PROTOCOL.md section 1). Public keys only: the relay holds no user's
/// secret key.
/// </summary>
internal static class Ed25519Verifier
{
    private static readonly SignatureAlgorithm s_ed25519 = SignatureAlgorithm.Ed25519;

    /// <summary>The length of a public key.</summary>
    internal const int PublicKeyLength = 32;

    /// <summary>Verifies a signature over <c>label || 0x00 || body</c>.</summary>
    /// <param name="publicKey">The signer's 32-byte Ed25519 public key.</param>
    /// <param name="label">The domain label.</param>
    /// <param name="body">The signed body.</param>
    /// <param name="signature">The 64-byte signature.</param>
    /// <returns><see langword="true"/> when it verifies; false for any malformed input.</returns>
    internal static bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> label, ReadOnlySpan<byte> body, ReadOnlySpan<byte> signature)
    {
        if (publicKey.Length != PublicKeyLength || signature.Length != RelayServerLimits.SignatureLength)
        {
            return false;
        }

        if (!PublicKey.TryImport(s_ed25519, publicKey, KeyBlobFormat.RawPublicKey, out PublicKey? key))
        {
            return false;
        }

        int length = label.Length + 1 + body.Length;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            label.CopyTo(buffer);
            buffer[label.Length] = 0;
            body.CopyTo(buffer.AsSpan(label.Length + 1));
            return s_ed25519.Verify(key!, buffer.AsSpan(0, length), signature);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
