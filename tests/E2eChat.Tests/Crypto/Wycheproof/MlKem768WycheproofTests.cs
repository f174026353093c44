using E2eChat.Crypto;

namespace E2eChat.Tests.Crypto.Wycheproof;

/// <summary>
/// <see cref="MlKem768"/> against Wycheproof's ML-KEM-768 files: key generation from seeds,
/// deterministic encapsulation (with the FIPS 203 section 7.2 input checks), and decapsulation
/// (including implicit rejection and wrong-length inputs).
/// </summary>
public sealed class MlKem768WycheproofTests
{
    [Fact]
    public void GenerateKeyPair_WycheproofSeedVectors_GiveExpectedKeys()
    {
        const string FileName = "mlkem_768_keygen_seed_test.json";
        using WycheproofFile file = WycheproofFile.Load(FileName);
        var tally = new WycheproofTally(FileName);
        foreach (WycheproofCase testCase in file.Cases)
        {
            tally.Run(testCase, c =>
            {
                if (!c.IsValid)
                {
                    return "the file was expected to hold valid cases only";
                }

                byte[] publicKey = new byte[MlKem768.PublicKeyLength];
                byte[] secretKey = new byte[MlKem768.SecretKeyLength];
                MlKem768.GenerateKeyPair(c.Hex("seed"), publicKey, secretKey);
                if (!publicKey.AsSpan().SequenceEqual(c.Hex("ek")))
                {
                    return "encapsulation key differs";
                }

                return secretKey.AsSpan().SequenceEqual(c.Hex("dk")) ? null : "decapsulation key differs";
            });
        }

        tally.AssertAllPassed(100);
    }

    [Fact]
    public void TryEncapsulateDeterministic_WycheproofEncapsVectors_MatchOrRejectKey()
    {
        const string FileName = "mlkem_768_encaps_test.json";
        using WycheproofFile file = WycheproofFile.Load(FileName);
        var tally = new WycheproofTally(FileName);
        foreach (WycheproofCase testCase in file.Cases)
        {
            tally.Run(testCase, c =>
            {
                byte[] publicKey = c.Hex("ek");
                byte[] ciphertext = new byte[MlKem768.CiphertextLength];
                byte[] sharedSecret = new byte[MlKem768.SharedSecretLength];
                bool encapsulated = MlKem768.TryEncapsulateDeterministic(publicKey, c.Hex("m"), ciphertext, sharedSecret);
                if (encapsulated != c.IsValid)
                {
                    return $"TryEncapsulateDeterministic returned {encapsulated}";
                }

                if (MlKem768.IsValidPublicKey(publicKey) != c.IsValid)
                {
                    return "IsValidPublicKey disagrees";
                }

                if (!c.IsValid)
                {
                    return null;
                }

                if (!ciphertext.AsSpan().SequenceEqual(c.Hex("c")))
                {
                    return "ciphertext differs";
                }

                return sharedSecret.AsSpan().SequenceEqual(c.Hex("K")) ? null : "shared secret differs";
            });
        }

        tally.AssertAllPassed(265);
        Assert.Equal(132, tally.InvalidCount);
    }

    [Fact]
    public void TryDecapsulate_WycheproofDecapsVectors_MatchOrRejectWrongLengths()
    {
        const string FileName = "mlkem_768_test.json";
        using WycheproofFile file = WycheproofFile.Load(FileName);
        var tally = new WycheproofTally(FileName);
        foreach (WycheproofCase testCase in file.Cases)
        {
            tally.Run(testCase, Decapsulate);
        }

        tally.AssertAllPassed(193);
        Assert.Equal(40, tally.InvalidCount);
    }

    private static string? Decapsulate(WycheproofCase c)
    {
        byte[] seed = c.Hex("seed");
        byte[] publicKey = new byte[MlKem768.PublicKeyLength];
        byte[] secretKey = new byte[MlKem768.SecretKeyLength];
        if (seed.Length != MlKem768.SeedLength)
        {
            // A caller-supplied private seed of the wrong length is a caller mistake: rejected with
            // ArgumentException before any key exists.
            if (c.IsValid)
            {
                return $"a valid case with a {seed.Length}-byte seed";
            }

            ArgumentException rejected = Assert.Throws<ArgumentException>(() => MlKem768.GenerateKeyPair(seed, publicKey, secretKey));
            return rejected.ParamName == "seed" ? null : $"rejected for {rejected.ParamName}";
        }

        MlKem768.GenerateKeyPair(seed, publicKey, secretKey);
        if (c.Has("ek") && !publicKey.AsSpan().SequenceEqual(c.Hex("ek")))
        {
            return "encapsulation key differs";
        }

        byte[] sharedSecret = new byte[MlKem768.SharedSecretLength];
        bool decapsulated = MlKem768.TryDecapsulate(secretKey, c.Hex("c"), sharedSecret);
        if (decapsulated != c.IsValid)
        {
            return $"TryDecapsulate returned {decapsulated}";
        }

        return !c.IsValid || sharedSecret.AsSpan().SequenceEqual(c.Hex("K")) ? null : "shared secret differs";
    }
}
