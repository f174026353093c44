using System.Buffers.Binary;
using System.Security.Cryptography;
using E2eChat.Tests.Ratchet;
using Google.Protobuf;
using Wire = E2eChat.Wire;

namespace E2eChat.Tests.Groups;

/// <summary>
/// Test helper: a sender key built from PROTOCOL.md section 7 alone, with .NET's HMAC, HKDF and
/// ChaCha20-Poly1305 and Google.Protobuf's encoder, sharing no code path with the library except the
/// Ed25519 signing wrapper. It can also build authentic-but-broken posts (bad padding, bad tag).
/// </summary>
internal sealed class SpecSenderKey : IDisposable
{
    private static readonly byte[] s_messageKeyLabel = "E2eChat/v1/sender-key/message"u8.ToArray();
    private static readonly byte[] s_signatureLabel = "E2eChat/v1/sender-key-message"u8.ToArray();
    private readonly NSec.Cryptography.Key _signingKey;

    internal SpecSenderKey(byte seed, uint chainId = 0x01020304, byte[]? distributionId = null, uint iteration = 0, byte[]? chainKey = null)
    {
        DistributionId = distributionId ?? [.. Enumerable.Range(0, 16).Select(i => (byte)(seed + i))];
        ChainId = chainId;
        Iteration = iteration;
        ChainKey = chainKey ?? [.. Enumerable.Range(0, 32).Select(i => (byte)(seed * 7 + i))];
        byte[] signingSeed = [.. Enumerable.Range(0, 32).Select(i => (byte)(seed * 13 + i))];
        _signingKey = E2eChat.Crypto.Ed25519.ImportSeed(signingSeed);
        SigningPublicKey = new byte[32];
        E2eChat.Crypto.Ed25519.GetPublicKey(_signingKey, SigningPublicKey);
    }

    internal byte[] DistributionId { get; }

    internal uint ChainId { get; }

    internal uint Iteration { get; private set; }

    internal byte[] ChainKey { get; private set; }

    internal byte[] SigningPublicKey { get; }

    /// <summary>The SenderKeyDistribution at the current iteration, encoded by Google.Protobuf.</summary>
    internal byte[] Distribution() => new E2eChat.Wire.Proto.SenderKeyDistribution
    {
        DistributionId = ByteString.CopyFrom(DistributionId),
        ChainId = ChainId,
        Iteration = Iteration,
        ChainKey = ByteString.CopyFrom(ChainKey),
        SigningKey = ByteString.CopyFrom(SigningPublicKey),
    }.ToByteArray();

    /// <summary>The padding of section 6, written independently.</summary>
    internal static byte[] Pad(byte[] plaintext)
    {
        int length = plaintext.Length + 1;
        int bucket = length <= 64 ? 64
            : length <= 16384 ? (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)length)
            : (length + 16383) / 16384 * 16384;
        byte[] padded = new byte[bucket];
        plaintext.CopyTo(padded, 0);
        padded[plaintext.Length] = 0x80;
        return padded;
    }

    internal static byte[] Header(byte[] distributionId, uint chainId, uint iteration, ulong expiresAt)
    {
        byte[] header = new byte[32];
        distributionId.CopyTo(header, 0);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(16), chainId);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(20), iteration);
        BinaryPrimitives.WriteUInt64BigEndian(header.AsSpan(24), expiresAt);
        return header;
    }

    /// <summary>The message key of the current iteration and the AEAD key and nonce it expands to.</summary>
    internal static (byte[] MessageKey, byte[] Key, byte[] Nonce, byte[] NextChainKey) Keys(byte[] chainKey)
    {
        (byte[] messageKey, byte[] next) = KdfTestVectors.ChainStep(chainKey);
        byte[] okm = HKDF.DeriveKey(HashAlgorithmName.SHA256, messageKey, 44, new byte[32], s_messageKeyLabel);
        return (messageKey, okm[..32], okm[32..], next);
    }

    /// <summary>
    /// Encrypts and signs the next post. <paramref name="padded"/> replaces the padded plaintext (to
    /// build authentic posts with invalid padding); <paramref name="breakTag"/> flips a tag bit before
    /// signing (an authentic signature over a ciphertext that does not open).
    /// </summary>
    internal byte[] Post(byte[] plaintext, ulong expiresAt = 0, byte[]? padded = null, bool breakTag = false)
    {
        (_, byte[] key, byte[] nonce, byte[] next) = Keys(ChainKey);
        byte[] header = Header(DistributionId, ChainId, Iteration, expiresAt);
        padded ??= Pad(plaintext);
        byte[] ciphertext = new byte[padded.Length + 16];
        using (var aead = new ChaCha20Poly1305(key))
        {
            aead.Encrypt(nonce, padded, ciphertext.AsSpan(0, padded.Length), ciphertext.AsSpan(padded.Length), header);
        }

        if (breakTag)
        {
            ciphertext[^1] ^= 0x01;
        }

        byte[] message = Message(header, ciphertext, Sign(header, ciphertext), expiresAt);
        ChainKey = next;
        Iteration++;
        return message;
    }

    internal byte[] Sign(byte[] header, byte[] ciphertext)
    {
        byte[] signature = new byte[64];
        E2eChat.Crypto.Ed25519.Sign(_signingKey, s_signatureLabel, [.. header, .. ciphertext], signature);
        return signature;
    }

    internal static byte[] SignedMessage(byte[] header, byte[] ciphertext) => [.. s_signatureLabel, 0x00, .. header, .. ciphertext];

    private byte[] Message(byte[] header, byte[] ciphertext, byte[] signature, ulong expiresAt) => new E2eChat.Wire.Proto.SenderKeyMessage
    {
        DistributionId = ByteString.CopyFrom(header.AsSpan(0, 16)),
        ChainId = ChainId,
        Iteration = Iteration,
        ExpiresAtMs = expiresAt,
        Ciphertext = ByteString.CopyFrom(ciphertext),
        Signature = ByteString.CopyFrom(signature),
    }.ToByteArray();

    public void Dispose() => _signingKey.Dispose();
}
