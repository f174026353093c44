using BenchmarkDotNet.Attributes;
using E2eChat.Crypto;
using E2eChat.Ratchet;

namespace E2eChat.Benchmarks;

/// <summary>
/// The payload AEAD of a ratchet message, the one primitive whose cost depends on the message size:
/// ChaCha20-Poly1305 over the padded plaintext (the padding bucket of <see cref="PayloadSize"/>:
/// 128 B for 100 B, 2048 B for 1 KiB, 81920 B for 64 KiB) with the protocol's associated data
/// <c>AD || enc_header</c> (288 + 80 bytes).
/// </summary>
/// <remarks>Not sealed: BenchmarkDotNet generates a class derived from it.</remarks>
[MemoryDiagnoser]
public class PayloadPrimitiveBenchmarks
{
    private byte[] _key = [];
    private byte[] _nonce = [];
    private byte[] _associatedData = [];
    private byte[] _padded = [];
    private byte[] _ciphertext = [];
    private byte[] _scratch = [];
    private byte[] _decrypted = [];

    /// <summary>The plaintext length in bytes (before padding).</summary>
    [Params(100, 1024, 65536)]
    public int PayloadSize { get; set; }

    /// <summary>Creates the key, the padded plaintext and one valid ciphertext.</summary>
    [GlobalSetup]
    public void Setup()
    {
        int padded = Padding.GetPaddedLength(PayloadSize);
        _key = new byte[Aead.KeyLength];
        _nonce = new byte[Aead.ChaChaNonceLength];
        _associatedData = new byte[RatchetState.AssociatedDataLength + RatchetState.EncryptedHeaderLength];
        _padded = new byte[padded];
        _ciphertext = new byte[padded + Aead.TagLength];
        _scratch = new byte[padded + Aead.TagLength];
        _decrypted = new byte[padded];
        Random.Shared.NextBytes(_key);
        Random.Shared.NextBytes(_nonce);
        Random.Shared.NextBytes(_associatedData);
        Random.Shared.NextBytes(_padded);
        Aead.Encrypt(AeadAlgorithm.ChaCha20Poly1305, _key, _nonce, _padded, _associatedData, _ciphertext);
        if (!ChaCha20Poly1305Decrypt())
        {
            throw new InvalidOperationException("ChaCha20-Poly1305 setup failed.");
        }
    }

    /// <summary>ChaCha20-Poly1305 encryption of the padded payload.</summary>
    /// <returns>The first ciphertext byte.</returns>
    [Benchmark]
    public byte ChaCha20Poly1305Encrypt()
    {
        Aead.Encrypt(AeadAlgorithm.ChaCha20Poly1305, _key, _nonce, _padded, _associatedData, _scratch);
        return _scratch[0];
    }

    /// <summary>ChaCha20-Poly1305 decryption of the padded payload.</summary>
    /// <returns>Whether it authenticated (always).</returns>
    [Benchmark]
    public bool ChaCha20Poly1305Decrypt() =>
        Aead.TryDecrypt(AeadAlgorithm.ChaCha20Poly1305, _key, _nonce, _ciphertext, _associatedData, _decrypted);
}
