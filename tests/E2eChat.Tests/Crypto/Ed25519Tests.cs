using E2eChat.Crypto;
using Key = NSec.Cryptography.Key;

namespace E2eChat.Tests.Crypto;

public sealed class Ed25519Tests
{
    private static readonly byte[] s_body = "a prekey bundle"u8.ToArray();

    [Fact]
    public void Verify_SameLabel_ReturnsTrue()
    {
        using Key key = NewKey(1);
        byte[] publicKey = PublicKeyOf(key);
        byte[] signature = new byte[Ed25519.SignatureLength];

        Ed25519.Sign(key, "E2eChat/v1/signed-prekey"u8, s_body, signature);

        Assert.True(Ed25519.Verify(publicKey, "E2eChat/v1/signed-prekey"u8, s_body, signature));
    }

    [Fact]
    public void Verify_OtherLabel_ReturnsFalse()
    {
        using Key key = NewKey(2);
        byte[] publicKey = PublicKeyOf(key);
        byte[] signature = new byte[Ed25519.SignatureLength];

        Ed25519.Sign(key, "E2eChat/v1/signed-prekey"u8, s_body, signature);

        Assert.False(Ed25519.Verify(publicKey, "E2eChat/v1/kem-prekey"u8, s_body, signature));
        Assert.False(Ed25519.Verify(publicKey, "E2eChat/v1/signed-prekey/"u8, s_body, signature));
        Assert.False(Ed25519.VerifyRaw(publicKey, s_body, signature)); // the bare body is not what was signed
    }

    [Fact]
    public void Sign_AnyLabel_CoversLabelZeroByteAndBody()
    {
        using Key key = NewKey(3);
        byte[] publicKey = PublicKeyOf(key);
        byte[] signature = new byte[Ed25519.SignatureLength];
        Ed25519.Sign(key, "L"u8, s_body, signature);

        byte[] message = [(byte)'L', 0, .. s_body];

        Assert.True(Ed25519.VerifyRaw(publicKey, message, signature));
    }

    [Fact]
    public void Verify_LabelBodyBoundaryMoved_ReturnsFalse()
    {
        using Key key = NewKey(6);
        byte[] publicKey = PublicKeyOf(key);
        byte[] signature = new byte[Ed25519.SignatureLength];
        Ed25519.Sign(key, "ab"u8, "c"u8, signature);

        Assert.True(Ed25519.Verify(publicKey, "ab"u8, "c"u8, signature));
        Assert.False(Ed25519.Verify(publicKey, "a"u8, "bc"u8, signature));
    }

    [Fact]
    public void Verify_TamperedBodyOrSignature_ReturnsFalse()
    {
        using Key key = NewKey(4);
        byte[] publicKey = PublicKeyOf(key);
        byte[] signature = new byte[Ed25519.SignatureLength];
        Ed25519.Sign(key, "E2eChat/v1/sender-key-message"u8, s_body, signature);

        byte[] body = (byte[])s_body.Clone();
        body[0] ^= 1;
        byte[] badSignature = (byte[])signature.Clone();
        badSignature[10] ^= 1;

        Assert.False(Ed25519.Verify(publicKey, "E2eChat/v1/sender-key-message"u8, body, signature));
        Assert.False(Ed25519.Verify(publicKey, "E2eChat/v1/sender-key-message"u8, s_body, badSignature));
    }

    [Fact]
    public void VerifyRaw_WrongLengths_ReturnsFalseWithoutThrowing()
    {
        Assert.False(Ed25519.VerifyRaw(new byte[31], s_body, new byte[Ed25519.SignatureLength]));
        Assert.False(Ed25519.VerifyRaw(new byte[Ed25519.PublicKeyLength], s_body, new byte[63]));
        Assert.False(Ed25519.VerifyRaw([], s_body, []));
    }

    [Fact]
    public void ExportSeed_ThenImportSeed_GivesSameKey()
    {
        using Key key = NewKey(5);
        using SecretBuffer seed = Ed25519.ExportSeed(key);
        using Key again = Ed25519.ImportSeed(seed.Span);

        Assert.Equal(PublicKeyOf(key), PublicKeyOf(again));
    }

    [Fact]
    public void ImportSeed_Rfc8032Test1_GivesPublishedPublicKey()
    {
        // RFC 8032, section 7.1, TEST 1.
        byte[] seed = Convert.FromHexString("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
        using Key key = Ed25519.ImportSeed(seed);

        Assert.Equal("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", Convert.ToHexString(PublicKeyOf(key)).ToLowerInvariant());
    }

    [Fact]
    public void ImportSeed_WrongLength_Throws()
    {
        Assert.Throws<ArgumentException>(() => Ed25519.ImportSeed(new byte[31]));
    }

    private static Key NewKey(byte seedByte)
    {
        byte[] seed = new byte[32];
        seed.AsSpan().Fill(seedByte);
        using var random = new DeterministicRandomSource(seed);
        return Ed25519.GenerateKey(random);
    }

    private static byte[] PublicKeyOf(Key key)
    {
        byte[] publicKey = new byte[Ed25519.PublicKeyLength];
        Ed25519.GetPublicKey(key, publicKey);
        return publicKey;
    }
}
