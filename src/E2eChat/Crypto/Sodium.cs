using System.Runtime.InteropServices;

namespace E2eChat.Crypto;

/// <summary>
/// P/Invoke declarations into the libsodium that NSec ships, for the span-based hot path and for
/// what NSec does not wrap (ML-KEM-768, HKDF over raw buffers).
/// </summary>
/// <remarks>
/// Every entry point takes raw pointers; callers pin spans with <c>fixed</c> and check lengths first.
/// <see cref="EnsureInitialized"/> runs <c>sodium_init</c> once and verifies that the loaded library
/// exports every symbol the protocol needs, so a too-old libsodium fails at start-up with a clear
/// message instead of an <see cref="EntryPointNotFoundException"/> in the middle of a handshake.
/// </remarks>
internal static unsafe partial class Sodium
{
    private const string Library = "libsodium";

    /// <summary>Symbols the protocol cannot run without; checked once at start-up.</summary>
    private static readonly string[] s_requiredSymbols =
    [
        "sodium_init",
        "crypto_scalarmult_curve25519",
        "crypto_scalarmult_curve25519_base",
        "crypto_auth_hmacsha256",
        "crypto_kdf_hkdf_sha256_extract",
        "crypto_kdf_hkdf_sha256_expand",
        "crypto_aead_chacha20poly1305_ietf_encrypt",
        "crypto_aead_chacha20poly1305_ietf_decrypt",
        "crypto_aead_xchacha20poly1305_ietf_encrypt",
        "crypto_aead_xchacha20poly1305_ietf_decrypt",
        "crypto_sign_ed25519_verify_detached",
        "crypto_kem_mlkem768_seed_keypair",
        "crypto_kem_mlkem768_enc",
        "crypto_kem_mlkem768_enc_deterministic",
        "crypto_kem_mlkem768_dec",
        "randombytes_buf",
    ];

    private static readonly Lazy<string?> s_initError = new(Initialize, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>
    /// Initializes libsodium and checks its exports. Throws <see cref="PlatformNotSupportedException"/>
    /// naming the missing symbols when the loaded library is too old.
    /// </summary>
    internal static void EnsureInitialized()
    {
        string? error = s_initError.Value;
        if (error is not null)
        {
            throw new PlatformNotSupportedException(error);
        }
    }

    private static string? Initialize()
    {
        // NSec initializes libsodium too; touching it first makes sure its resolver has loaded the
        // bundled native library, so our DllImport binds to the very same copy.
        _ = NSec.Cryptography.SignatureAlgorithm.Ed25519;
        if (!NativeLibrary.TryLoad(Library, typeof(Sodium).Assembly, DllImportSearchPath.AssemblyDirectory | DllImportSearchPath.SafeDirectories, out IntPtr handle)
            && !NativeLibrary.TryLoad(Library, typeof(NSec.Cryptography.Key).Assembly, null, out handle))
        {
            return "E2eChat could not load the libsodium native library that NSec.Cryptography ships.";
        }

        var missing = new List<string>();
        foreach (string symbol in s_requiredSymbols)
        {
            if (!NativeLibrary.TryGetExport(handle, symbol, out _))
            {
                missing.Add(symbol);
            }
        }

        if (missing.Count > 0)
        {
            return "The loaded libsodium lacks symbols E2eChat needs (libsodium 1.0.21 or later is required for ML-KEM-768): "
                + string.Join(", ", missing);
        }

        return sodium_init() < 0 ? "sodium_init failed." : null;
    }

    [LibraryImport(Library)]
    internal static partial int sodium_init();

    [LibraryImport(Library)]
    internal static partial void randombytes_buf(byte* buf, nuint size);

    [LibraryImport(Library)]
    internal static partial int crypto_scalarmult_curve25519(byte* q, byte* n, byte* p);

    [LibraryImport(Library)]
    internal static partial int crypto_scalarmult_curve25519_base(byte* q, byte* n);

    [LibraryImport(Library)]
    internal static partial int crypto_auth_hmacsha256(byte* output, byte* input, ulong inputLength, byte* key);

    [LibraryImport(Library)]
    internal static partial int crypto_kdf_hkdf_sha256_extract(byte* prk, byte* salt, nuint saltLength, byte* ikm, nuint ikmLength);

    [LibraryImport(Library)]
    internal static partial int crypto_kdf_hkdf_sha256_expand(byte* output, nuint outputLength, byte* context, nuint contextLength, byte* prk);

    [LibraryImport(Library)]
    internal static partial int crypto_aead_chacha20poly1305_ietf_encrypt(byte* c, ulong* clen, byte* m, ulong mlen, byte* ad, ulong adlen, byte* nsec, byte* npub, byte* k);

    [LibraryImport(Library)]
    internal static partial int crypto_aead_chacha20poly1305_ietf_decrypt(byte* m, ulong* mlen, byte* nsec, byte* c, ulong clen, byte* ad, ulong adlen, byte* npub, byte* k);

    [LibraryImport(Library)]
    internal static partial int crypto_aead_xchacha20poly1305_ietf_encrypt(byte* c, ulong* clen, byte* m, ulong mlen, byte* ad, ulong adlen, byte* nsec, byte* npub, byte* k);

    [LibraryImport(Library)]
    internal static partial int crypto_aead_xchacha20poly1305_ietf_decrypt(byte* m, ulong* mlen, byte* nsec, byte* c, ulong clen, byte* ad, ulong adlen, byte* npub, byte* k);

    [LibraryImport(Library)]
    internal static partial int crypto_sign_ed25519_verify_detached(byte* sig, byte* m, ulong mlen, byte* pk);

    [LibraryImport(Library)]
    internal static partial int crypto_kem_mlkem768_seed_keypair(byte* pk, byte* sk, byte* seed);

    [LibraryImport(Library)]
    internal static partial int crypto_kem_mlkem768_enc(byte* ct, byte* ss, byte* pk);

    [LibraryImport(Library)]
    internal static partial int crypto_kem_mlkem768_enc_deterministic(byte* ct, byte* ss, byte* pk, byte* seed);

    [LibraryImport(Library)]
    internal static partial int crypto_kem_mlkem768_dec(byte* ss, byte* ct, byte* sk);
}
