using BenchmarkDotNet.Attributes;
using E2eChat.Crypto;
using E2eChat.Ratchet;
using Key = NSec.Cryptography.Key;

namespace E2eChat.Benchmarks;

/// <summary>
/// The primitive floor of the protocol, measured through E2eChat's own wrappers in
/// <c>src/E2eChat/Crypto/</c> (span in, span out, buffers allocated once in setup) with the input
/// sizes and labels the protocol uses: whatever a ratchet step or a handshake costs, it cannot be
/// cheaper than the sum of the primitives it calls. The payload AEADs, whose cost depends on the
/// message size, are in <see cref="PayloadPrimitiveBenchmarks"/>. <see cref="FloorRecipes"/> says
/// which of these each operation is made of.
/// </summary>
/// <remarks>Not sealed: BenchmarkDotNet generates a class derived from it.</remarks>
[MemoryDiagnoser]
public class PrimitiveBenchmarks : IDisposable
{
    private readonly byte[] _key = new byte[32];
    private readonly byte[] _wrongKey = new byte[32];
    private readonly byte[] _oneByte = [0x01];
    private readonly byte[] _tag = new byte[HmacSha256.TagLength];
    private readonly byte[] _zeroSalt = new byte[32];
    private readonly byte[] _rootKey = new byte[32];
    private readonly byte[] _ikm32 = new byte[32];
    private readonly byte[] _handshakeIkm = new byte[6 * 32];
    private readonly byte[] _okm44 = new byte[44];
    private readonly byte[] _okm96 = new byte[96];
    private readonly byte[] _okm128 = new byte[128];
    private readonly byte[] _random24 = new byte[Aead.XChaChaNonceLength];
    private readonly byte[] _xchachaNonce = new byte[Aead.XChaChaNonceLength];
    private readonly byte[] _header = new byte[RatchetHeader.Length];
    private readonly byte[] _encryptedHeader = new byte[RatchetHeader.Length + Aead.TagLength];
    private readonly byte[] _scratchHeader = new byte[RatchetHeader.Length + Aead.TagLength];
    private readonly byte[] _decryptedHeader = new byte[RatchetHeader.Length];
    private readonly byte[] _x25519Private = new byte[X25519.KeyLength];
    private readonly byte[] _x25519Public = new byte[X25519.KeyLength];
    private readonly byte[] _x25519FixedPrivate = new byte[X25519.KeyLength];
    private readonly byte[] _x25519PeerPublic = new byte[X25519.KeyLength];
    private readonly byte[] _x25519Shared = new byte[X25519.KeyLength];
    private readonly byte[] _mlKemPublic = new byte[MlKem768.PublicKeyLength];
    private readonly byte[] _mlKemSecret = new byte[MlKem768.SecretKeyLength];
    private readonly byte[] _mlKemCiphertext = new byte[MlKem768.CiphertextLength];
    private readonly byte[] _mlKemEncapsulated = new byte[MlKem768.CiphertextLength];
    private readonly byte[] _mlKemShared = new byte[MlKem768.SharedSecretLength];
    private readonly byte[] _ed25519Public = new byte[Ed25519.PublicKeyLength];
    private readonly byte[] _signature = new byte[Ed25519.SignatureLength];
    private readonly byte[] _signedBody = new byte[64];
    private Key? _signingKey;

    /// <summary>Creates keys and one ciphertext or signature of each kind.</summary>
    [GlobalSetup]
    public void Setup()
    {
        Random.Shared.NextBytes(_key);
        Random.Shared.NextBytes(_wrongKey);
        Random.Shared.NextBytes(_rootKey);
        Random.Shared.NextBytes(_ikm32);
        Random.Shared.NextBytes(_handshakeIkm);
        Random.Shared.NextBytes(_xchachaNonce);
        Random.Shared.NextBytes(_header);
        Random.Shared.NextBytes(_signedBody);
        Aead.Encrypt(AeadAlgorithm.XChaCha20Poly1305, _key, _xchachaNonce, _header, [], _encryptedHeader);

        byte[] peerPrivate = new byte[X25519.KeyLength];
        X25519.GenerateKeyPair(peerPrivate, _x25519PeerPublic);
        X25519.GenerateKeyPair(_x25519FixedPrivate, _x25519Public);

        byte[] seed = new byte[MlKem768.SeedLength];
        Random.Shared.NextBytes(seed);
        MlKem768.GenerateKeyPair(seed, _mlKemPublic, _mlKemSecret);
        Check(MlKem768.TryEncapsulate(_mlKemPublic, _mlKemCiphertext, _mlKemShared), "ML-KEM-768 setup");

        byte[] signingSeed = new byte[Ed25519.SeedLength];
        Random.Shared.NextBytes(signingSeed);
        _signingKey = Ed25519.ImportSeed(signingSeed);
        Ed25519.GetPublicKey(_signingKey, _ed25519Public);
        Ed25519.Sign(_signingKey, ProtocolLabels.SignedPreKey, _signedBody, _signature);

        // Every benchmark below must succeed; check each once here so that a broken primitive fails
        // the run instead of timing an early exit.
        Check(XChaCha20Poly1305Decrypt56B(), "XChaCha20-Poly1305 decryption");
        Check(!XChaCha20Poly1305DecryptFailure56B(), "XChaCha20-Poly1305 decryption under a wrong key");
        Check(Ed25519Verify(), "Ed25519 verification");
        Check(MlKem768Decapsulate() && MlKem768Encapsulate(), "ML-KEM-768");
        Check(X25519Agree(), "X25519 agreement");
    }

    /// <summary>One chain-key step half: HMAC-SHA256 of a single byte under a 32-byte key.</summary>
    /// <returns>The first tag byte.</returns>
    [Benchmark]
    public byte HmacSha256OneByte()
    {
        HmacSha256.Compute(_key, _oneByte, _tag);
        return _tag[0];
    }

    /// <summary>HKDF-SHA256 to 44 bytes: a message key expanded to payload key and nonce (zero salt, 32-byte IKM).</summary>
    /// <returns>Whether the derivation succeeded.</returns>
    [Benchmark]
    public bool HkdfSha256Derive44() => HkdfSha256.TryDeriveKey(_zeroSalt, _ikm32, ProtocolLabels.RatchetMessage, _okm44);

    /// <summary>HKDF-SHA256 to 96 bytes: a root-key step (root key as salt, DH output as IKM).</summary>
    /// <returns>Whether the derivation succeeded.</returns>
    [Benchmark]
    public bool HkdfSha256Derive96() => HkdfSha256.TryDeriveKey(_rootKey, _ikm32, ProtocolLabels.RatchetRoot, _okm96);

    /// <summary>HKDF-SHA256 to 128 bytes: the handshake KDF over a 192-byte IKM (four DH outputs).</summary>
    /// <returns>Whether the derivation succeeded.</returns>
    [Benchmark]
    public bool HkdfSha256Derive128() => HkdfSha256.TryDeriveKey(_zeroSalt, _handshakeIkm, ProtocolLabels.Handshake, _okm128);

    /// <summary>24 bytes from the system CSPRNG (an encrypted header's nonce).</summary>
    /// <returns>The first byte.</returns>
    [Benchmark]
    public byte RandomBytes24()
    {
        RandomSource.System.Fill(_random24);
        return _random24[0];
    }

    /// <summary>XChaCha20-Poly1305 encryption of a 40-byte ratchet header (no associated data).</summary>
    /// <returns>The first ciphertext byte.</returns>
    [Benchmark]
    public byte XChaCha20Poly1305Encrypt40B()
    {
        Aead.Encrypt(AeadAlgorithm.XChaCha20Poly1305, _key, _xchachaNonce, _header, [], _scratchHeader);
        return _scratchHeader[0];
    }

    /// <summary>XChaCha20-Poly1305 decryption of a 56-byte encrypted header under the right key.</summary>
    /// <returns>Whether it authenticated (always).</returns>
    [Benchmark]
    public bool XChaCha20Poly1305Decrypt56B() =>
        Aead.TryDecrypt(AeadAlgorithm.XChaCha20Poly1305, _key, _xchachaNonce, _encryptedHeader, [], _decryptedHeader);

    /// <summary>
    /// A failed header trial: XChaCha20-Poly1305 decryption of 56 bytes under a wrong key (the tag
    /// check fails before anything is decrypted).
    /// </summary>
    /// <returns>Whether it authenticated (never).</returns>
    [Benchmark]
    public bool XChaCha20Poly1305DecryptFailure56B() =>
        Aead.TryDecrypt(AeadAlgorithm.XChaCha20Poly1305, _wrongKey, _xchachaNonce, _encryptedHeader, [], _decryptedHeader);

    /// <summary>X25519 key generation: 32 random bytes and a base-point multiplication.</summary>
    /// <returns>The first public-key byte.</returns>
    [Benchmark]
    public byte X25519GenerateKeyPair()
    {
        X25519.GenerateKeyPair(_x25519Private, _x25519Public);
        return _x25519Public[0];
    }

    /// <summary>X25519 base-point multiplication alone (the responder's signed pre-key check).</summary>
    /// <returns>The first public-key byte.</returns>
    [Benchmark]
    public byte X25519DerivePublicKey()
    {
        X25519.DerivePublicKey(_x25519FixedPrivate, _x25519Public);
        return _x25519Public[0];
    }

    /// <summary>X25519 agreement, including the raw public-key checks.</summary>
    /// <returns>The outcome.</returns>
    [Benchmark]
    public bool X25519Agree() => X25519.Agree(_x25519FixedPrivate, _x25519PeerPublic, _x25519Shared) == KeyAgreementFailure.None;

    /// <summary>ML-KEM-768 encapsulation: 32 random bytes, the FIPS 203 key check, encapsulation.</summary>
    /// <returns>Whether encapsulation succeeded.</returns>
    [Benchmark]
    public bool MlKem768Encapsulate() => MlKem768.TryEncapsulate(_mlKemPublic, _mlKemEncapsulated, _mlKemShared);

    /// <summary>ML-KEM-768 decapsulation.</summary>
    /// <returns>Whether decapsulation succeeded.</returns>
    [Benchmark]
    public bool MlKem768Decapsulate() => MlKem768.TryDecapsulate(_mlKemSecret, _mlKemCiphertext, _mlKemShared);

    /// <summary>Ed25519 strict verification of a domain-separated 64-byte body.</summary>
    /// <returns>Whether the signature verified.</returns>
    [Benchmark]
    public bool Ed25519Verify() => Ed25519.Verify(_ed25519Public, ProtocolLabels.SignedPreKey, _signedBody, _signature);

    /// <summary>Releases the signing key.</summary>
    [GlobalCleanup]
    public void Cleanup() => Dispose();

    /// <summary>Releases the signing key.</summary>
    public void Dispose()
    {
        _signingKey?.Dispose();
        _signingKey = null;
        GC.SuppressFinalize(this);
    }

    private static void Check(bool ok, string what)
    {
        if (!ok)
        {
            throw new InvalidOperationException($"{what} did not behave as expected.");
        }
    }
}
