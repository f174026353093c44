using static E2eChat.Benchmarks.Primitive;

namespace E2eChat.Benchmarks;

/// <summary>
/// The static table behind the "Floor" and "Floor ratio" columns (<see cref="FloorColumn"/>): for
/// each benchmarked operation, the primitives it is made of with their counts, read off
/// PROTOCOL.md sections 4 to 6 and the code. The floor of an operation is the sum of its
/// primitives' mean times measured in the same run; the ratio is the operation's mean over it, the
/// share of time spent outside the primitives (1.00 would be a free protocol layer).
/// </summary>
/// <remarks>
/// <para>Per message (section 5.4 and 5.5; the payload is padded to its bucket, 6):</para>
/// <list type="bullet">
/// <item><b>encrypt</b> = 2 HMAC (KDF_CK) + HKDF44 (MessageKeys) + Random24 (header nonce) +
/// header encrypt (40 B) + payload encrypt.</item>
/// <item><b>decrypt, current chain</b> = header decrypt (56 B, opens under HKr) + 2 HMAC + HKDF44 + payload decrypt.</item>
/// <item><b>decrypt, skipped key</b> = header decrypt + HKDF44 + payload decrypt (the key is stored; no chain step).</item>
/// <item><b>decrypt, new chain</b> (a DH ratchet step) = <c>f</c> failed header trials (HKr and
/// every remembered previous chain: 5 in steady ping-pong, 0 for a responder's first message) +
/// header decrypt (opens under NHKr) + 2 X25519 agreement + X25519 key generation + 2 HKDF96 + 2
/// HMAC + HKDF44 + payload decrypt.</item>
/// </list>
/// <para>Set-up (section 4 and 5.3):</para>
/// <list type="bullet">
/// <item><b>initiator</b> = X25519 key generation (base key) + 3 or 4 X25519 agreements (DH1-3,
/// DH4 with a one-time pre-key) + ML-KEM encapsulation + HKDF128; then the ratchet: X25519 key
/// generation + X25519 agreement + HKDF96.</item>
/// <item><b>responder</b> = Ed25519 verification (the initiator's identity) + 3 or 4 X25519
/// agreements + ML-KEM decapsulation + HKDF128 + X25519 public key (the signed pre-key pair check);
/// then the first message: decrypt, new chain with <c>f</c> = 0.</item>
/// <item><b>bundle verification</b> = 3 Ed25519 verifications (identity, signed pre-key, KEM pre-key).</item>
/// </list>
/// <para>
/// Payload primitives are taken at the case's <c>PayloadSize</c> parameter, or at 100 bytes for
/// operations without one (ping-pong, skipped key, set-up). Saving and loading records and the
/// relay's validation call no cryptographic primitive and have no floor.
/// </para>
/// </remarks>
internal static class FloorRecipes
{
    /// <summary>The payload size of operations without a <c>PayloadSize</c> parameter.</summary>
    internal const int DefaultPayloadSize = 100;

    /// <summary>Header trials that fail before a new chain's header opens, in steady ping-pong.</summary>
    internal const int PingPongFailedHeaderTrials = ProtocolLimits.MaxReceiverChains;

    private static readonly Term[] s_encrypt =
    [
        new(Hmac, 2), new(Hkdf44, 1), new(Random24, 1), new(HeaderEncrypt, 1), new(PayloadEncrypt, 1),
    ];

    private static readonly Term[] s_decrypt =
    [
        new(HeaderDecrypt, 1), new(Hmac, 2), new(Hkdf44, 1), new(PayloadDecrypt, 1),
    ];

    private static readonly Term[] s_skippedKeyDecrypt =
    [
        new(HeaderDecrypt, 1), new(Hkdf44, 1), new(PayloadDecrypt, 1),
    ];

    /// <summary>One term of a recipe: a primitive and how many times the operation runs it.</summary>
    internal readonly record struct Term(Primitive Primitive, int Count);

    /// <summary>The recipe of a benchmark, or <see langword="null"/> when it has none.</summary>
    /// <param name="type">The benchmark class's name.</param>
    /// <param name="method">The benchmark method's name.</param>
    /// <param name="parameter">The case's value of a parameter, by name (<see langword="null"/> when absent).</param>
    /// <returns>The terms.</returns>
    internal static IReadOnlyList<Term>? Find(string type, string method, Func<string, object?> parameter)
    {
        bool oneTimePreKey = parameter(nameof(SessionSetupBenchmarks.OneTimePreKey)) is true;
        return (type, method) switch
        {
            (nameof(RatchetBenchmarks) or nameof(EnvelopeBenchmarks), "Encrypt") => s_encrypt,
            (nameof(RatchetBenchmarks) or nameof(EnvelopeBenchmarks), "Decrypt") => s_decrypt,
            (nameof(RatchetBenchmarks) or nameof(EnvelopeBenchmarks), "EncryptDecrypt") => [.. s_encrypt, .. s_decrypt],
            (nameof(EnvelopeBenchmarks), nameof(EnvelopeBenchmarks.SessionManagerEncryptDecrypt)) => [.. s_encrypt, .. s_decrypt],
            (nameof(RatchetStepBenchmarks), nameof(RatchetStepBenchmarks.PingPong)) =>
                [.. s_encrypt, .. NewChainDecrypt(PingPongFailedHeaderTrials), .. s_encrypt, .. NewChainDecrypt(PingPongFailedHeaderTrials)],
            (nameof(RatchetStepBenchmarks), nameof(RatchetStepBenchmarks.SkippedKeyDecrypt)) => s_skippedKeyDecrypt,
            (nameof(SessionSetupBenchmarks), nameof(SessionSetupBenchmarks.BundleVerify)) => [new(Ed25519Verify, 3)],
            (nameof(SessionSetupBenchmarks), nameof(SessionSetupBenchmarks.Initiator)) =>
            [
                new(X25519KeyGen, 1), new(X25519Agree, oneTimePreKey ? 4 : 3), new(MlKemEncapsulate, 1), new(Hkdf128, 1),
                new(X25519KeyGen, 1), new(X25519Agree, 1), new(Hkdf96, 1),
            ],
            (nameof(SessionSetupBenchmarks), nameof(SessionSetupBenchmarks.Responder)) =>
            [
                new(Ed25519Verify, 1), new(X25519Agree, oneTimePreKey ? 4 : 3), new(MlKemDecapsulate, 1), new(Hkdf128, 1),
                new(X25519PublicKey, 1), .. NewChainDecrypt(0),
            ],
            _ => null,
        };
    }

    /// <summary>The benchmark that measures <paramref name="primitive"/>.</summary>
    /// <param name="primitive">The primitive.</param>
    /// <returns>Its class, its method, and whether it is measured per payload size.</returns>
    internal static (string Type, string Method, bool PerPayload) Benchmark(Primitive primitive) => primitive switch
    {
        Hmac => (nameof(PrimitiveBenchmarks), nameof(PrimitiveBenchmarks.HmacSha256OneByte), false),
        Hkdf44 => (nameof(PrimitiveBenchmarks), nameof(PrimitiveBenchmarks.HkdfSha256Derive44), false),
        Hkdf96 => (nameof(PrimitiveBenchmarks), nameof(PrimitiveBenchmarks.HkdfSha256Derive96), false),
        Hkdf128 => (nameof(PrimitiveBenchmarks), nameof(PrimitiveBenchmarks.HkdfSha256Derive128), false),
        Random24 => (nameof(PrimitiveBenchmarks), nameof(PrimitiveBenchmarks.RandomBytes24), false),
        HeaderEncrypt => (nameof(PrimitiveBenchmarks), nameof(PrimitiveBenchmarks.XChaCha20Poly1305Encrypt40B), false),
        HeaderDecrypt => (nameof(PrimitiveBenchmarks), nameof(PrimitiveBenchmarks.XChaCha20Poly1305Decrypt56B), false),
        HeaderDecryptFailure => (nameof(PrimitiveBenchmarks), nameof(PrimitiveBenchmarks.XChaCha20Poly1305DecryptFailure56B), false),
        PayloadEncrypt => (nameof(PayloadPrimitiveBenchmarks), nameof(PayloadPrimitiveBenchmarks.ChaCha20Poly1305Encrypt), true),
        PayloadDecrypt => (nameof(PayloadPrimitiveBenchmarks), nameof(PayloadPrimitiveBenchmarks.ChaCha20Poly1305Decrypt), true),
        X25519KeyGen => (nameof(PrimitiveBenchmarks), nameof(PrimitiveBenchmarks.X25519GenerateKeyPair), false),
        X25519PublicKey => (nameof(PrimitiveBenchmarks), nameof(PrimitiveBenchmarks.X25519DerivePublicKey), false),
        X25519Agree => (nameof(PrimitiveBenchmarks), nameof(PrimitiveBenchmarks.X25519Agree), false),
        MlKemEncapsulate => (nameof(PrimitiveBenchmarks), nameof(PrimitiveBenchmarks.MlKem768Encapsulate), false),
        MlKemDecapsulate => (nameof(PrimitiveBenchmarks), nameof(PrimitiveBenchmarks.MlKem768Decapsulate), false),
        Ed25519Verify => (nameof(PrimitiveBenchmarks), nameof(PrimitiveBenchmarks.Ed25519Verify), false),
        _ => throw new ArgumentOutOfRangeException(nameof(primitive)),
    };

    /// <summary>A decryption that starts a new receiving chain after <paramref name="failedTrials"/> failed header trials.</summary>
    private static Term[] NewChainDecrypt(int failedTrials) =>
    [
        new(HeaderDecryptFailure, failedTrials), new(HeaderDecrypt, 1),
        new(X25519Agree, 2), new(X25519KeyGen, 1), new(Hkdf96, 2),
        new(Hmac, 2), new(Hkdf44, 1), new(PayloadDecrypt, 1),
    ];
}
