using E2eChat.Crypto;

namespace E2eChat.Tests.Crypto.Wycheproof;

/// <summary>
/// <see cref="Aead"/> against Wycheproof's <c>chacha20_poly1305_test.json</c> and
/// <c>xchacha20_poly1305_test.json</c>: valid cases encrypt to the expected ciphertext and tag and
/// decrypt back; invalid cases (modified tags, wrong nonce sizes) make <see cref="Aead.TryDecrypt"/>
/// return <see langword="false"/> without throwing and leave no plaintext behind.
/// </summary>
public sealed class AeadWycheproofTests
{
    [Fact]
    public void EncryptAndTryDecrypt_WycheproofChaCha20Poly1305Vectors_MatchOrReject() =>
        RunFile("chacha20_poly1305_test.json", AeadAlgorithm.ChaCha20Poly1305, expectedCases: 325, expectedInvalid: 69);

    [Fact]
    public void EncryptAndTryDecrypt_WycheproofXChaCha20Poly1305Vectors_MatchOrReject() =>
        RunFile("xchacha20_poly1305_test.json", AeadAlgorithm.XChaCha20Poly1305, expectedCases: 315, expectedInvalid: 69);

    private static void RunFile(string fileName, AeadAlgorithm algorithm, int expectedCases, int expectedInvalid)
    {
        using WycheproofFile file = WycheproofFile.Load(fileName);
        var tally = new WycheproofTally(fileName);
        foreach (WycheproofCase testCase in file.Cases)
        {
            tally.Run(testCase, c => Check(algorithm, c));
        }

        tally.AssertAllPassed(expectedCases);
        Assert.Equal(expectedInvalid, tally.InvalidCount);
        Assert.Equal(file.DeclaredNumberOfTests, tally.Count);
    }

    private static string? Check(AeadAlgorithm algorithm, WycheproofCase c)
    {
        byte[] key = c.Hex("key");
        byte[] nonce = c.Hex("iv");
        byte[] associatedData = c.Hex("aad");
        byte[] message = c.Hex("msg");
        byte[] sealedMessage = [.. c.Hex("ct"), .. c.Hex("tag")];

        if (sealedMessage.Length >= Aead.TagLength)
        {
            byte[] plaintext = new byte[sealedMessage.Length - Aead.TagLength];
            plaintext.AsSpan().Fill(0xaa);
            bool opened = Aead.TryDecrypt(algorithm, key, nonce, sealedMessage, associatedData, plaintext);
            if (opened != c.IsValid)
            {
                return $"TryDecrypt returned {opened}";
            }

            if (opened && !plaintext.AsSpan().SequenceEqual(message))
            {
                return $"decrypted to {Convert.ToHexString(plaintext)}";
            }

            if (!opened && nonce.Length == Aead.NonceLength(algorithm) && plaintext.Any(b => b != 0))
            {
                return "a failed decryption left bytes in the plaintext buffer";
            }
        }
        else if (c.IsValid)
        {
            return "a valid case shorter than the tag";
        }

        if (!c.IsValid)
        {
            return null;
        }

        byte[] ciphertext = new byte[message.Length + Aead.TagLength];
        Aead.Encrypt(algorithm, key, nonce, message, associatedData, ciphertext);
        return ciphertext.AsSpan().SequenceEqual(sealedMessage) ? null : $"encrypted to {Convert.ToHexString(ciphertext)}";
    }
}
