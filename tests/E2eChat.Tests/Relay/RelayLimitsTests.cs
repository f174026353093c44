using System.Globalization;
using System.Text.RegularExpressions;
using E2eChat.Crypto;
using E2eChat.Relay;
using E2eChat.Wire;

namespace E2eChat.Tests.Relay;

public sealed class RelayLimitsTests
{
    [Fact]
    public void MaxEnvelopeLength_MatchesProtocolSections8And9()
    {
        Assert.Contains($"| `MaxEnvelopeLength` | {WireLimits.MaxEnvelopeLength} |", SpecText.Section("## 9."), StringComparison.Ordinal);
        Assert.Contains($"The whole envelope is at most {WireLimits.MaxEnvelopeLength} bytes", SpecText.Section("## 8."), StringComparison.Ordinal);
    }

    [Fact]
    public void FieldLengths_MatchTheEnvelopeTableOfSection8()
    {
        var expected = new Dictionary<string, int>
        {
            ["message_id"] = WireLimits.MessageIdLength,
            ["PreKeyMessage.identity_key"] = WireLimits.IdentityKeyLength,
            ["PreKeyMessage.base_key"] = WireLimits.BaseKeyLength,
            ["PreKeyMessage.kem_ciphertext"] = WireLimits.KemCiphertextLength,
            ["RatchetMessage.header"] = WireLimits.EncryptedHeaderLength,
            ["SenderKeyMessage.distribution_id"] = WireLimits.DistributionIdLength,
            ["SenderKeyMessage.signature"] = WireLimits.SignatureLength,
        };

        var documented = Regex.Matches(SpecText.Section("## 8."), @"^\| `([A-Za-z_.]+)` \| (\d+) bytes \|", RegexOptions.Multiline)
            .ToDictionary(m => m.Groups[1].Value, m => int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));

        Assert.Equal(expected.OrderBy(p => p.Key), documented.OrderBy(p => p.Key));
    }

    [Fact]
    public void AddressBounds_MatchTheEnvelopeTableOfSection8()
    {
        string section = SpecText.Section("## 8.");

        Assert.Contains($"`name` 1-{WireLimits.MaxNameLength} chars of `[a-z0-9._-]`, `device` 1-{WireLimits.MaxDeviceId}", section, StringComparison.Ordinal);
    }

    [Fact]
    public void Limits_MatchTheClientLibrary()
    {
        Assert.Equal(ProtocolAddress.MaxNameLength, WireLimits.MaxNameLength);
        Assert.Equal(ProtocolAddress.MaxDeviceId, WireLimits.MaxDeviceId);
        Assert.Equal(Ed25519.PublicKeyLength + X25519.KeyLength + Ed25519.SignatureLength, WireLimits.IdentityKeyLength);
        Assert.Equal(X25519.KeyLength, WireLimits.BaseKeyLength);
        Assert.Equal(MlKem768.CiphertextLength, WireLimits.KemCiphertextLength);
        Assert.Equal(Aead.XChaChaNonceLength + X25519.KeyLength + 4 + 4 + Aead.TagLength, WireLimits.EncryptedHeaderLength);
        Assert.Equal(Aead.TagLength, WireLimits.AeadTagLength);
        Assert.Equal(Ed25519.SignatureLength, WireLimits.SignatureLength);
    }

    [Fact]
    public void MaxPaddedLength_IsTheBucketOfTheLongestPlaintext()
    {
        int marked = ProtocolLimits.MaxPlaintextLength + 1;
        int bucket = (marked + WireLimits.PaddingStep - 1) / WireLimits.PaddingStep * WireLimits.PaddingStep;

        Assert.Equal(WireLimits.MaxPaddedLength, bucket);
    }

    [Fact]
    public void MaxEnvelopeLength_HoldsTheLargestPreKeyMessage()
    {
        // Every byte a pre-key envelope can carry, with the longest name and widest varints, plus
        // one generous byte of tag and three of length prefix per field.
        int payload = (2 * WireLimits.MaxNameLength) + WireLimits.MessageIdLength + WireLimits.IdentityKeyLength
            + WireLimits.BaseKeyLength + WireLimits.KemCiphertextLength + WireLimits.EncryptedHeaderLength
            + WireLimits.MaxPaddedLength + WireLimits.AeadTagLength;
        int scalars = (5 * 3) + 10 + (3 * 5);
        int framing = 20 * 4;

        Assert.True(payload + scalars + framing <= WireLimits.MaxEnvelopeLength);
    }
}
