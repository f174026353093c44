// E2eChat demo. For now a self-check of the crypto layer through the library's public wrappers:
// it prints each check and exits 0 only when all of them pass. It will be replaced by the
// person-to-business chat demo.
using System.Security.Cryptography;
using E2eChat.Crypto;
using Key = NSec.Cryptography.Key;

var checks = new List<(string Name, Func<bool> Run)>
{
    ("X25519: both sides derive the same shared secret", CheckX25519),
    ("Ed25519: sign/verify with domain separation (another label does not verify)", CheckEd25519),
    ("HKDF-SHA256: RFC 5869 test case 1", CheckHkdf),
    ("ChaCha20-Poly1305: round trip, tampering detected", () => CheckAead(AeadAlgorithm.ChaCha20Poly1305)),
    ("XChaCha20-Poly1305: round trip, tampering detected", () => CheckAead(AeadAlgorithm.XChaCha20Poly1305)),
    ("ML-KEM-768: encapsulate/decapsulate round trip", CheckMlKem768),
    ("X-Wing: encapsulate/decapsulate round trip", CheckXWing),
};

Console.WriteLine("E2eChat crypto self-check");
int failed = 0;
foreach ((string name, Func<bool> run) in checks)
{
    bool ok;
    try
    {
        ok = run();
    }
    catch (Exception exception) when (exception is CryptographicException or ArgumentException or PlatformNotSupportedException or DllNotFoundException)
    {
        Console.WriteLine($"  error: {exception.GetType().Name}: {exception.Message}");
        ok = false;
    }

    Console.WriteLine($"  [{(ok ? "ok" : "FAIL")}] {name}");
    failed += ok ? 0 : 1;
}

Console.WriteLine(failed == 0
    ? $"All {checks.Count} checks passed."
    : $"{failed} of {checks.Count} checks FAILED.");
return failed == 0 ? 0 : 1;

static bool CheckX25519()
{
    Span<byte> alicePrivate = stackalloc byte[X25519.KeyLength];
    Span<byte> bobPrivate = stackalloc byte[X25519.KeyLength];
    Span<byte> alicePublic = stackalloc byte[X25519.KeyLength];
    Span<byte> bobPublic = stackalloc byte[X25519.KeyLength];
    Span<byte> aliceShared = stackalloc byte[X25519.KeyLength];
    Span<byte> bobShared = stackalloc byte[X25519.KeyLength];
    try
    {
        X25519.GenerateKeyPair(alicePrivate, alicePublic);
        X25519.GenerateKeyPair(bobPrivate, bobPublic);
        return X25519.Agree(alicePrivate, bobPublic, aliceShared) == KeyAgreementFailure.None
            && X25519.Agree(bobPrivate, alicePublic, bobShared) == KeyAgreementFailure.None
            && CryptographicOperations.FixedTimeEquals(aliceShared, bobShared)
            && X25519.ValidatePublicKey(new byte[X25519.KeyLength]) == KeyAgreementFailure.LowOrderPublicKey;
    }
    finally
    {
        CryptographicOperations.ZeroMemory(alicePrivate);
        CryptographicOperations.ZeroMemory(bobPrivate);
        CryptographicOperations.ZeroMemory(aliceShared);
        CryptographicOperations.ZeroMemory(bobShared);
    }
}

static bool CheckEd25519()
{
    byte[] seed = RandomNumberGenerator.GetBytes(Ed25519.SeedLength);
    using Key key = Ed25519.ImportSeed(seed);
    CryptographicOperations.ZeroMemory(seed);
    byte[] publicKey = new byte[Ed25519.PublicKeyLength];
    byte[] signature = new byte[Ed25519.SignatureLength];
    Ed25519.GetPublicKey(key, publicKey);
    ReadOnlySpan<byte> body = "signed pre-key bytes"u8;
    Ed25519.Sign(key, "E2eChat/v1/signed-prekey"u8, body, signature);
    return Ed25519.Verify(publicKey, "E2eChat/v1/signed-prekey"u8, body, signature)
        && !Ed25519.Verify(publicKey, "E2eChat/v1/kem-prekey"u8, body, signature)
        && !Ed25519.VerifyRaw(publicKey, body, signature);
}

static bool CheckHkdf()
{
    byte[] ikm = Convert.FromHexString("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b");
    byte[] salt = Convert.FromHexString("000102030405060708090a0b0c");
    byte[] info = Convert.FromHexString("f0f1f2f3f4f5f6f7f8f9");
    byte[] expected = Convert.FromHexString("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
    byte[] okm = new byte[expected.Length];
    return HkdfSha256.TryDeriveKey(salt, ikm, info, okm) && okm.AsSpan().SequenceEqual(expected);
}

static bool CheckAead(AeadAlgorithm algorithm)
{
    byte[] key = RandomNumberGenerator.GetBytes(Aead.KeyLength);
    byte[] nonce = RandomNumberGenerator.GetBytes(Aead.NonceLength(algorithm));
    byte[] plaintext = "Hello from a customer to a business."u8.ToArray();
    byte[] associatedData = "header"u8.ToArray();
    byte[] ciphertext = new byte[plaintext.Length + Aead.TagLength];
    byte[] decrypted = new byte[plaintext.Length];
    Aead.Encrypt(algorithm, key, nonce, plaintext, associatedData, ciphertext);
    bool roundTrip = Aead.TryDecrypt(algorithm, key, nonce, ciphertext, associatedData, decrypted)
        && decrypted.AsSpan().SequenceEqual(plaintext);
    ciphertext[0] ^= 1;
    bool tamperDetected = !Aead.TryDecrypt(algorithm, key, nonce, ciphertext, associatedData, decrypted);
    CryptographicOperations.ZeroMemory(key);
    return roundTrip && tamperDetected;
}

static bool CheckMlKem768()
{
    byte[] seed = RandomNumberGenerator.GetBytes(MlKem768.SeedLength);
    byte[] publicKey = new byte[MlKem768.PublicKeyLength];
    byte[] secretKey = new byte[MlKem768.SecretKeyLength];
    byte[] ciphertext = new byte[MlKem768.CiphertextLength];
    byte[] sent = new byte[MlKem768.SharedSecretLength];
    byte[] received = new byte[MlKem768.SharedSecretLength];
    try
    {
        MlKem768.GenerateKeyPair(seed, publicKey, secretKey);
        return MlKem768.TryEncapsulate(publicKey, ciphertext, sent)
            && MlKem768.TryDecapsulate(secretKey, ciphertext, received)
            && CryptographicOperations.FixedTimeEquals(sent, received);
    }
    finally
    {
        CryptographicOperations.ZeroMemory(seed);
        CryptographicOperations.ZeroMemory(secretKey);
    }
}

static bool CheckXWing()
{
    byte[] seed = RandomNumberGenerator.GetBytes(XWing.SeedLength);
    byte[] publicKey = new byte[XWing.PublicKeyLength];
    byte[] secretKey = new byte[XWing.SecretKeyLength];
    byte[] ciphertext = new byte[XWing.CiphertextLength];
    byte[] sent = new byte[XWing.SharedSecretLength];
    byte[] received = new byte[XWing.SharedSecretLength];
    try
    {
        XWing.GenerateKeyPair(seed, publicKey, secretKey);
        return XWing.TryEncapsulate(publicKey, ciphertext, sent)
            && XWing.TryDecapsulate(secretKey, ciphertext, received)
            && CryptographicOperations.FixedTimeEquals(sent, received);
    }
    finally
    {
        CryptographicOperations.ZeroMemory(seed);
        CryptographicOperations.ZeroMemory(secretKey);
    }
}
