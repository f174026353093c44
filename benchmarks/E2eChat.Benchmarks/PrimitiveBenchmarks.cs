using BenchmarkDotNet.Attributes;
using E2eChat.Crypto;
using Key = NSec.Cryptography.Key;

namespace E2eChat.Benchmarks;

/// <summary>
/// The primitive floor of the protocol, measured through E2eChat's own wrappers (span in, span
/// out, buffers allocated once in setup): whatever a ratchet step or a handshake costs, it cannot
/// be cheaper than the sum of the primitives it calls.
/// </summary>
/// <remarks>Not sealed: BenchmarkDotNet generates a class derived from it.</remarks>
[MemoryDiagnoser]
public class PrimitiveBenchmarks : IDisposable
{
    private readonly byte[] _key = new byte[32];
    private readonly byte[] _oneByte = [0x01];
    private readonly byte[] _tag = new byte[HmacSha256.TagLength];
    private readonly byte[] _salt = new byte[32];
    private readonly byte[] _ikm = new byte[32];
    private readonly byte[] _info = "E2eChat/v1/ratchet/root"u8.ToArray();
    private readonly byte[] _okm44 = new byte[44];
    private readonly byte[] _okm96 = new byte[96];
    private readonly byte[] _chachaNonce = new byte[Aead.ChaChaNonceLength];
    private readonly byte[] _xchachaNonce = new byte[Aead.XChaChaNonceLength];
    private readonly byte[] _associatedData = new byte[32];
    private readonly byte[] _plaintext100 = new byte[100];
    private readonly byte[] _ciphertext100 = new byte[100 + Aead.TagLength];
    private readonly byte[] _decrypted100 = new byte[100];
    private readonly byte[] _plaintext1024 = new byte[1024];
    private readonly byte[] _ciphertext1024 = new byte[1024 + Aead.TagLength];
    private readonly byte[] _decrypted1024 = new byte[1024];
    private readonly byte[] _plaintext40 = new byte[40];
    private readonly byte[] _ciphertext40 = new byte[40 + Aead.TagLength];
    private readonly byte[] _x25519Private = new byte[X25519.KeyLength];
    private readonly byte[] _x25519Public = new byte[X25519.KeyLength];
    private readonly byte[] _x25519PeerPublic = new byte[X25519.KeyLength];
    private readonly byte[] _x25519Shared = new byte[X25519.KeyLength];
    private readonly byte[] _mlKemPublic = new byte[MlKem768.PublicKeyLength];
    private readonly byte[] _mlKemSecret = new byte[MlKem768.SecretKeyLength];
    private readonly byte[] _mlKemCiphertext = new byte[MlKem768.CiphertextLength];
    private readonly byte[] _mlKemShared = new byte[MlKem768.SharedSecretLength];
    private readonly byte[] _ed25519Public = new byte[Ed25519.PublicKeyLength];
    private readonly byte[] _signature = new byte[Ed25519.SignatureLength];
    private readonly byte[] _signedBody = new byte[64];
    private Key? _signingKey;

    /// <summary>Creates keys and one ciphertext of each kind.</summary>
    [GlobalSetup]
    public void Setup()
    {
        Random.Shared.NextBytes(_key);
        Random.Shared.NextBytes(_ikm);
        Random.Shared.NextBytes(_plaintext100);
        Random.Shared.NextBytes(_plaintext1024);
        Random.Shared.NextBytes(_signedBody);

        byte[] peerPrivate = new byte[X25519.KeyLength];
        X25519.GenerateKeyPair(peerPrivate, _x25519PeerPublic);
        X25519.GenerateKeyPair(_x25519Private, _x25519Public);

        byte[] seed = new byte[MlKem768.SeedLength];
        Random.Shared.NextBytes(seed);
        MlKem768.GenerateKeyPair(seed, _mlKemPublic, _mlKemSecret);
        if (!MlKem768.TryEncapsulate(_mlKemPublic, _mlKemCiphertext, _mlKemShared))
        {
            throw new InvalidOperationException("ML-KEM-768 setup failed.");
        }

        byte[] signingSeed = new byte[Ed25519.SeedLength];
        Random.Shared.NextBytes(signingSeed);
        _signingKey = Ed25519.ImportSeed(signingSeed);
        Ed25519.GetPublicKey(_signingKey, _ed25519Public);
        Ed25519.Sign(_signingKey, "E2eChat/v1/signed-prekey"u8, _signedBody, _signature);
    }

    /// <summary>One chain-key step: HMAC-SHA256 of a single byte.</summary>
    /// <returns>The first tag byte.</returns>
    [Benchmark]
    public byte HmacSha256OneByte()
    {
        HmacSha256.Compute(_key, _oneByte, _tag);
        return _tag[0];
    }

    /// <summary>HKDF-SHA256 extract and expand to 44 bytes (a message key, its MAC key and nonce).</summary>
    /// <returns>Whether the derivation succeeded.</returns>
    [Benchmark]
    public bool HkdfSha256Derive44() => HkdfSha256.TryDeriveKey(_salt, _ikm, _info, _okm44);

    /// <summary>HKDF-SHA256 extract and expand to 96 bytes (a root step: root, chain and header keys).</summary>
    /// <returns>Whether the derivation succeeded.</returns>
    [Benchmark]
    public bool HkdfSha256Derive96() => HkdfSha256.TryDeriveKey(_salt, _ikm, _info, _okm96);

    /// <summary>ChaCha20-Poly1305 encrypt then decrypt of 100 bytes.</summary>
    /// <returns>Whether decryption succeeded.</returns>
    [Benchmark]
    public bool ChaCha20Poly1305EncryptDecrypt100B()
    {
        Aead.Encrypt(AeadAlgorithm.ChaCha20Poly1305, _key, _chachaNonce, _plaintext100, _associatedData, _ciphertext100);
        return Aead.TryDecrypt(AeadAlgorithm.ChaCha20Poly1305, _key, _chachaNonce, _ciphertext100, _associatedData, _decrypted100);
    }

    /// <summary>ChaCha20-Poly1305 encrypt then decrypt of 1 KiB.</summary>
    /// <returns>Whether decryption succeeded.</returns>
    [Benchmark]
    public bool ChaCha20Poly1305EncryptDecrypt1KiB()
    {
        Aead.Encrypt(AeadAlgorithm.ChaCha20Poly1305, _key, _chachaNonce, _plaintext1024, _associatedData, _ciphertext1024);
        return Aead.TryDecrypt(AeadAlgorithm.ChaCha20Poly1305, _key, _chachaNonce, _ciphertext1024, _associatedData, _decrypted1024);
    }

    /// <summary>XChaCha20-Poly1305 encrypt of 40 bytes (the size of an encrypted ratchet header).</summary>
    /// <returns>The first ciphertext byte.</returns>
    [Benchmark]
    public byte XChaCha20Poly1305Encrypt40B()
    {
        Aead.Encrypt(AeadAlgorithm.XChaCha20Poly1305, _key, _xchachaNonce, _plaintext40, _associatedData, _ciphertext40);
        return _ciphertext40[0];
    }

    /// <summary>X25519 key generation (random scalar and base-point multiplication).</summary>
    /// <returns>The first public-key byte.</returns>
    [Benchmark]
    public byte X25519GenerateKeyPair()
    {
        X25519.GenerateKeyPair(_x25519Private, _x25519Public);
        return _x25519Public[0];
    }

    /// <summary>X25519 agreement, including the raw public-key checks.</summary>
    /// <returns>The outcome.</returns>
    [Benchmark]
    public KeyAgreementFailure X25519Agree() => X25519.Agree(_x25519Private, _x25519PeerPublic, _x25519Shared);

    /// <summary>ML-KEM-768 encapsulation, including the FIPS 203 key check.</summary>
    /// <returns>Whether encapsulation succeeded.</returns>
    [Benchmark]
    public bool MlKem768Encapsulate() => MlKem768.TryEncapsulate(_mlKemPublic, _mlKemCiphertext, _mlKemShared);

    /// <summary>ML-KEM-768 decapsulation.</summary>
    /// <returns>Whether decapsulation succeeded.</returns>
    [Benchmark]
    public bool MlKem768Decapsulate() => MlKem768.TryDecapsulate(_mlKemSecret, _mlKemCiphertext, _mlKemShared);

    /// <summary>Ed25519 domain-separated verification of a 64-byte body.</summary>
    /// <returns>Whether the signature verified.</returns>
    [Benchmark]
    public bool Ed25519Verify() => Ed25519.Verify(_ed25519Public, "E2eChat/v1/signed-prekey"u8, _signedBody, _signature);

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
}
