using System.Globalization;
using System.Text.RegularExpressions;
using E2eChat.Crypto;
using E2eChat.Relay;

namespace E2eChat.Tests.Relay;

public sealed class RelayLimitsTests
{
    [Fact]
    public void MaxEnvelopeLength_MatchesProtocolSections8And9()
    {
        Assert.Contains($"| `MaxEnvelopeLength` | {RelayLimits.MaxEnvelopeLength} |", SpecText.Section("## 9."), StringComparison.Ordinal);
        Assert.Contains($"The whole envelope is at most {RelayLimits.MaxEnvelopeLength} bytes", SpecText.Section("## 8."), StringComparison.Ordinal);
    }

    [Fact]
    public void FieldLengths_MatchTheEnvelopeTableOfSection8()
    {
        var expected = new Dictionary<string, int>
        {
            ["message_id"] = RelayLimits.MessageIdLength,
            ["PreKeyMessage.identity_key"] = RelayLimits.IdentityKeyLength,
            ["PreKeyMessage.base_key"] = RelayLimits.BaseKeyLength,
            ["PreKeyMessage.kem_ciphertext"] = RelayLimits.KemCiphertextLength,
            ["RatchetMessage.header"] = RelayLimits.EncryptedHeaderLength,
            ["SenderKeyMessage.distribution_id"] = RelayLimits.DistributionIdLength,
            ["SenderKeyMessage.signature"] = RelayLimits.SignatureLength,
        };

        var documented = Regex.Matches(SpecText.Section("## 8."), @"^\| `([A-Za-z_.]+)` \| (\d+) bytes \|", RegexOptions.Multiline)
            .ToDictionary(m => m.Groups[1].Value, m => int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));

        Assert.Equal(expected.OrderBy(p => p.Key), documented.OrderBy(p => p.Key));
    }

    [Fact]
    public void AddressBounds_MatchTheEnvelopeTableOfSection8()
    {
        string section = SpecText.Section("## 8.");

        Assert.Contains($"`name` 1-{RelayLimits.MaxNameLength} chars of `[a-z0-9._-]`, `device` 1-{RelayLimits.MaxDeviceId}", section, StringComparison.Ordinal);
    }

    [Fact]
    public void Limits_MatchTheClientLibrary()
    {
        Assert.Equal(ProtocolAddress.MaxNameLength, RelayLimits.MaxNameLength);
        Assert.Equal(ProtocolAddress.MaxDeviceId, RelayLimits.MaxDeviceId);
        Assert.Equal(Ed25519.PublicKeyLength + X25519.KeyLength + Ed25519.SignatureLength, RelayLimits.IdentityKeyLength);
        Assert.Equal(X25519.KeyLength, RelayLimits.BaseKeyLength);
        Assert.Equal(MlKem768.CiphertextLength, RelayLimits.KemCiphertextLength);
        Assert.Equal(Aead.XChaChaNonceLength + X25519.KeyLength + 4 + 4 + Aead.TagLength, RelayLimits.EncryptedHeaderLength);
        Assert.Equal(Aead.TagLength, RelayLimits.AeadTagLength);
        Assert.Equal(Ed25519.SignatureLength, RelayLimits.SignatureLength);
    }

    [Fact]
    public void MaxPaddedLength_IsTheBucketOfTheLongestPlaintext()
    {
        int marked = ProtocolLimits.MaxPlaintextLength + 1;
        int bucket = (marked + RelayLimits.PaddingStep - 1) / RelayLimits.PaddingStep * RelayLimits.PaddingStep;

        Assert.Equal(RelayLimits.MaxPaddedLength, bucket);
    }

    [Fact]
    public void MaxEnvelopeLength_HoldsTheLargestPreKeyMessage()
    {
        // Every byte a pre-key envelope can carry, with the longest name and widest varints, plus
        // one generous byte of tag and three of length prefix per field.
        int payload = (2 * RelayLimits.MaxNameLength) + RelayLimits.MessageIdLength + RelayLimits.IdentityKeyLength
            + RelayLimits.BaseKeyLength + RelayLimits.KemCiphertextLength + RelayLimits.EncryptedHeaderLength
            + RelayLimits.MaxPaddedLength + RelayLimits.AeadTagLength;
        int scalars = (5 * 3) + 10 + (3 * 5);
        int framing = 20 * 4;

        Assert.True(payload + scalars + framing <= RelayLimits.MaxEnvelopeLength);
    }
}
