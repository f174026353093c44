using System.Numerics;
using E2eChat.Crypto;

namespace E2eChat.Tests.Crypto.Wycheproof;

/// <summary>
/// <see cref="X25519"/> against Wycheproof's <c>x25519_test.json</c>. The protocol is stricter than
/// RFC 7748: every public key flagged low-order, non-canonical or giving the zero shared secret is
/// refused with a typed failure; every other case (valid and acceptable) must give the expected secret.
/// </summary>
public sealed class X25519WycheproofTests
{
    private const string FileName = "x25519_test.json";

    /// <summary>Every case of the file: 474 give a shared secret, 44 are refused.</summary>
    private const int ExpectedCases = 518;

    /// <summary>Cases flagged LowOrderPublic, NonCanonicalPublic or ZeroSharedSecret.</summary>
    private const int ExpectedRefusedCases = 44;

    private static readonly BigInteger s_p = (BigInteger.One << 255) - 19;

    [Fact]
    public void Agree_WycheproofVectors_GiveSharedSecretOrRefuseFlaggedKeys()
    {
        using WycheproofFile file = WycheproofFile.Load(FileName);
        var tally = new WycheproofTally(FileName);
        int refused = 0;
        foreach (WycheproofCase testCase in file.Cases)
        {
            bool mustRefuse = MustRefuse(testCase);
            refused += mustRefuse ? 1 : 0;
            tally.Run(testCase, c =>
            {
                byte[] privateKey = c.Hex("private");
                byte[] publicKey = c.Hex("public");
                byte[] expected = c.Hex("shared");
                byte[] shared = new byte[X25519.KeyLength];
                shared.AsSpan().Fill(0xaa);
                KeyAgreementFailure failure = X25519.Agree(privateKey, publicKey, shared);
                if (mustRefuse)
                {
                    KeyAgreementFailure want = IsCanonical(publicKey) ? KeyAgreementFailure.LowOrderPublicKey : KeyAgreementFailure.NonCanonicalPublicKey;
                    if (failure != want)
                    {
                        return $"expected {want}, got {failure}";
                    }

                    return shared.All(b => b == 0) ? null : "the output was not zeroed after a refusal";
                }

                if (failure != KeyAgreementFailure.None)
                {
                    return $"refused with {failure}";
                }

                return shared.AsSpan().SequenceEqual(expected) ? null : $"shared secret {Convert.ToHexString(shared)}, expected {Convert.ToHexString(expected)}";
            });
        }

        tally.AssertAllPassed(ExpectedCases);
        Assert.Equal(ExpectedRefusedCases, refused);
    }

    [Fact]
    public void ValidatePublicKey_WycheproofLowOrderKeys_RejectedBeforeAnyImport()
    {
        // ValidatePublicKey is what Agree runs first, on the raw bytes and with no native or NSec call,
        // so a key refused here can never reach an import (where NSec would clear the top bit).
        using WycheproofFile file = WycheproofFile.Load(FileName);
        var tally = new WycheproofTally(FileName);
        foreach (WycheproofCase testCase in file.Cases.Where(c => c.HasFlag("LowOrderPublic") || c.HasFlag("ZeroSharedSecret")))
        {
            tally.Run(testCase, c =>
            {
                byte[] publicKey = c.Hex("public");
                KeyAgreementFailure failure = X25519.ValidatePublicKey(publicKey);
                return failure is KeyAgreementFailure.LowOrderPublicKey or KeyAgreementFailure.NonCanonicalPublicKey
                    ? null
                    : $"ValidatePublicKey returned {failure} for {Convert.ToHexString(publicKey)}";
            });
        }

        tally.AssertAllPassed(31);
    }

    [Fact]
    public unsafe void ValidatePublicKey_WycheproofZeroSecretKeys_AreTrulyLowOrderForLibsodium()
    {
        // Shows the flagged keys are the dangerous ones: raw libsodium, without any check of ours,
        // refuses each of them (it returns -1 for a small-order point or an all-zero result).
        using WycheproofFile file = WycheproofFile.Load(FileName);
        var tally = new WycheproofTally(FileName);
        Sodium.EnsureInitialized();
        foreach (WycheproofCase testCase in file.Cases.Where(c => c.HasFlag("ZeroSharedSecret")))
        {
            tally.Run(testCase, c =>
            {
                byte[] privateKey = c.Hex("private");
                byte[] publicKey = c.Hex("public");
                byte[] output = new byte[X25519.KeyLength];
                int rc;
                fixed (byte* q = output)
                fixed (byte* n = privateKey)
                fixed (byte* p = publicKey)
                {
                    rc = Sodium.crypto_scalarmult_curve25519(q, n, p);
                }

                return rc != 0 ? null : $"libsodium accepted it and returned {Convert.ToHexString(output)}";
            });
        }

        tally.AssertAllPassed(31);
    }

    private static bool MustRefuse(WycheproofCase testCase) =>
        testCase.HasFlag("LowOrderPublic") || testCase.HasFlag("NonCanonicalPublic") || testCase.HasFlag("ZeroSharedSecret");

    /// <summary>Independent of the wrapper: the little-endian value is below p = 2^255 - 19.</summary>
    private static bool IsCanonical(byte[] publicKey) => new BigInteger(publicKey, isUnsigned: true, isBigEndian: false) < s_p;
}
