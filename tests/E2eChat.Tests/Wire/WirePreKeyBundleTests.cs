using E2eChat.Wire;
using Google.Protobuf;
using Proto = E2eChat.Wire.Proto;

namespace E2eChat.Tests.Wire;

public sealed class WirePreKeyBundleTests
{
    [Theory]
    [InlineData(true, true)]
    [InlineData(false, false)]
    public void Write_MatchesGoogleProtobufAndReadsBack(bool withOneTimeKey, bool lastResort)
    {
        byte[] identity = WireTestBytes.Fill(128, 1);
        byte[] signedPreKey = WireTestBytes.Fill(32, 2);
        byte[] signedSignature = WireTestBytes.Fill(64, 3);
        byte[] oneTime = withOneTimeKey ? WireTestBytes.Fill(32, 4) : [];
        uint oneTimeId = withOneTimeKey ? 11u : 0u;
        byte[] kem = WireTestBytes.Fill(1184, 5);
        byte[] kemSignature = WireTestBytes.Fill(64, 6);

        byte[] encoded = WirePreKeyBundle.Write(identity, 3, signedPreKey, signedSignature, oneTimeId, oneTime, 200, lastResort, kem, kemSignature);

        var expected = new Proto.PreKeyBundle
        {
            IdentityKey = ByteString.CopyFrom(identity),
            SignedPrekeyId = 3,
            SignedPrekey = ByteString.CopyFrom(signedPreKey),
            SignedPrekeySignature = ByteString.CopyFrom(signedSignature),
            OneTimePrekeyId = oneTimeId,
            OneTimePrekey = ByteString.CopyFrom(oneTime),
            KemPrekeyId = 200,
            KemPrekeyLastResort = lastResort,
            KemPrekey = ByteString.CopyFrom(kem),
            KemPrekeySignature = ByteString.CopyFrom(kemSignature),
        };
        Assert.Equal(expected.ToByteArray(), encoded);
        Assert.True(WirePreKeyBundle.TryRead(encoded, out PreKeyBundleView view, out EnvelopeFailure failure));
        Assert.Equal(EnvelopeFailure.None, failure);
        Assert.Equal(identity, encoded[view.IdentityKey]);
        Assert.Equal(3u, view.SignedPreKeyId);
        Assert.Equal(signedPreKey, encoded[view.SignedPreKey]);
        Assert.Equal(signedSignature, encoded[view.SignedPreKeySignature]);
        Assert.Equal(oneTimeId, view.OneTimePreKeyId);
        Assert.Equal(oneTime, encoded[view.OneTimePreKey]);
        Assert.Equal(200u, view.KemPreKeyId);
        Assert.Equal(lastResort, view.KemPreKeyLastResort);
        Assert.Equal(kem, encoded[view.KemPreKey]);
        Assert.Equal(kemSignature, encoded[view.KemPreKeySignature]);
    }

    [Theory]
    [InlineData(new byte[] { 0x10, 0x03, 0x10, 0x03 }, EnvelopeFailure.DuplicateField)]
    [InlineData(new byte[] { 0x38, 0x01, 0x10, 0x03 }, EnvelopeFailure.FieldsOutOfOrder)]
    [InlineData(new byte[] { 0x40, 0x02 }, EnvelopeFailure.MalformedVarint)]
    [InlineData(new byte[] { 0x10, 0x00 }, EnvelopeFailure.DefaultValueWritten)]
    [InlineData(new byte[] { 0x58, 0x01 }, EnvelopeFailure.UnknownField)]
    public void TryRead_NonCanonicalEncoding_IsRefused(byte[] encoded, EnvelopeFailure expected)
    {
        Assert.False(WirePreKeyBundle.TryRead(encoded, out _, out EnvelopeFailure failure));
        Assert.Equal(expected, failure);
    }
}
