using System.Buffers;
using NSec.Cryptography;

namespace E2eChat.Crypto;

/// <summary>
/// Ed25519 (RFC 8032) signatures. Signing uses NSec keys (long-lived, in <c>sodium_malloc</c>'d
/// memory); verification is libsodium's strict <c>crypto_sign_ed25519_verify_detached</c> over raw
/// bytes, which refuses non-canonical S, small-order and non-canonical points. Every protocol
/// signature covers <c>label || 0x00 || body</c>, so a signature made for one purpose never
/// verifies for another.
/// </summary>
internal static class Ed25519
{
    /// <summary>Public key length in bytes.</summary>
    public const int PublicKeyLength = 32;

    /// <summary>Private seed length in bytes.</summary>
    public const int SeedLength = 32;

    /// <summary>Signature length in bytes.</summary>
    public const int SignatureLength = 64;

    private static readonly SignatureAlgorithm s_algorithm = SignatureAlgorithm.Ed25519;

    /// <summary>Creates a new exportable signing key from the given randomness.</summary>
    internal static Key GenerateKey(RandomSource random)
    {
        Span<byte> seed = stackalloc byte[SeedLength];
        try
        {
            random.Fill(seed);
            return ImportSeed(seed);
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(seed);
        }
    }

    /// <summary>Imports a signing key from its 32-byte seed; the key may be exported again for storage.</summary>
    /// <param name="seed">The RFC 8032 private key (seed).</param>
    /// <returns>An NSec key the caller disposes.</returns>
    public static Key ImportSeed(ReadOnlySpan<byte> seed)
    {
        if (seed.Length != SeedLength)
        {
            throw new ArgumentException($"Expected a {SeedLength}-byte seed.", nameof(seed));
        }

        return Key.Import(s_algorithm, seed, KeyBlobFormat.RawPrivateKey, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });
    }

    /// <summary>Exports the 32-byte seed of a signing key into a library-owned buffer.</summary>
    /// <param name="key">The key.</param>
    /// <returns>The seed, which the caller disposes.</returns>
    public static SecretBuffer ExportSeed(Key key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var buffer = new SecretBuffer(SeedLength);
        if (!key.TryExport(KeyBlobFormat.RawPrivateKey, buffer.WritableSpan, out int written) || written != SeedLength)
        {
            buffer.Dispose();
            throw new InvalidOperationException("The signing key cannot be exported.");
        }

        return buffer;
    }

    /// <summary>Writes the raw public key of <paramref name="key"/>.</summary>
    /// <param name="key">The signing key.</param>
    /// <param name="publicKey">Receives 32 bytes.</param>
    public static void GetPublicKey(Key key, Span<byte> publicKey)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!key.PublicKey.TryExport(KeyBlobFormat.RawPublicKey, publicKey, out int written) || written != PublicKeyLength)
        {
            throw new ArgumentException($"Expected a {PublicKeyLength}-byte buffer.", nameof(publicKey));
        }
    }

    /// <summary>Signs <c>label || 0x00 || body</c>.</summary>
    /// <param name="key">The Ed25519 signing key.</param>
    /// <param name="label">The ASCII domain label naming what is signed.</param>
    /// <param name="body">The encoded object.</param>
    /// <param name="signature">Receives the 64-byte signature.</param>
    public static void Sign(Key key, ReadOnlySpan<byte> label, ReadOnlySpan<byte> body, Span<byte> signature)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (signature.Length != SignatureLength)
        {
            throw new ArgumentException($"Expected a {SignatureLength}-byte buffer.", nameof(signature));
        }

        int length = label.Length + 1 + body.Length;
        byte[] rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            Span<byte> message = rented.AsSpan(0, length);
            WriteDomainMessage(label, body, message);
            s_algorithm.Sign(key, message, signature);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Verifies a signature over <c>label || 0x00 || body</c>; never throws for hostile input.</summary>
    /// <param name="publicKey">The signer's raw public key.</param>
    /// <param name="label">The domain label.</param>
    /// <param name="body">The encoded object.</param>
    /// <param name="signature">The signature as received.</param>
    /// <returns><see langword="true"/> when valid.</returns>
    public static bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> label, ReadOnlySpan<byte> body, ReadOnlySpan<byte> signature)
    {
        int length = label.Length + 1 + body.Length;
        byte[] rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            Span<byte> message = rented.AsSpan(0, length);
            WriteDomainMessage(label, body, message);
            return VerifyRaw(publicKey, message, signature);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Strict verification of a signature over exactly <paramref name="message"/>.</summary>
    /// <param name="publicKey">The raw public key; a wrong length fails.</param>
    /// <param name="message">The signed message.</param>
    /// <param name="signature">The signature; a wrong length fails.</param>
    /// <returns><see langword="true"/> when valid.</returns>
    public static unsafe bool VerifyRaw(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        if (publicKey.Length != PublicKeyLength || signature.Length != SignatureLength)
        {
            return false;
        }

        Sodium.EnsureInitialized();
        fixed (byte* s = signature)
        fixed (byte* m = message)
        fixed (byte* p = publicKey)
        {
            return Sodium.crypto_sign_ed25519_verify_detached(s, m, (ulong)message.Length, p) == 0;
        }
    }

    private static void WriteDomainMessage(ReadOnlySpan<byte> label, ReadOnlySpan<byte> body, Span<byte> message)
    {
        label.CopyTo(message);
        message[label.Length] = 0;
        body.CopyTo(message[(label.Length + 1)..]);
    }
}
