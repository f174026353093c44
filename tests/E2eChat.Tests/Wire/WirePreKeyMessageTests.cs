using E2eChat.Wire;
using Google.Protobuf;
using Proto = E2eChat.Wire.Proto;

namespace E2eChat.Tests.Wire;

public sealed class WirePreKeyMessageTests
{
    [Theory]
    [InlineData(0u)]
    [InlineData(300u)]
    public void Write_MatchesGoogleProtobufAndReadsBack(uint oneTimePreKeyId)
    {
        byte[] identity = WireTestBytes.Fill(128, 1);
        byte[] baseKey = WireTestBytes.Fill(32, 2);
        byte[] kemCiphertext = WireTestBytes.Fill(1088, 3);
        byte[] header = WireTestBytes.Fill(80, 4);
        byte[] ciphertext = WireTestBytes.Fill(128 + 16, 5);

        byte[] encoded = WirePreKeyMessage.Write(identity, baseKey, 7, oneTimePreKeyId, uint.MaxValue, kemCiphertext, header, ciphertext);

        var expected = new Proto.PreKeyMessage
        {
            IdentityKey = ByteString.CopyFrom(identity),
            BaseKey = ByteString.CopyFrom(baseKey),
            SignedPrekeyId = 7,
            OneTimePrekeyId = oneTimePreKeyId,
            KemPrekeyId = uint.MaxValue,
            KemCiphertext = ByteString.CopyFrom(kemCiphertext),
            Message = new Proto.RatchetMessage { Header = ByteString.CopyFrom(header), Ciphertext = ByteString.CopyFrom(ciphertext) },
        };
        Assert.Equal(expected.ToByteArray(), encoded);
        Assert.True(WirePreKeyMessage.TryRead(encoded, out PreKeyMessageView view, out EnvelopeFailure failure));
        Assert.Equal(EnvelopeFailure.None, failure);
        Assert.Equal(identity, encoded[view.IdentityKey]);
        Assert.Equal(baseKey, encoded[view.BaseKey]);
        Assert.Equal(7u, view.SignedPreKeyId);
        Assert.Equal(oneTimePreKeyId, view.OneTimePreKeyId);
        Assert.Equal(uint.MaxValue, view.KemPreKeyId);
        Assert.Equal(kemCiphertext, encoded[view.KemCiphertext]);
        Assert.Equal(header, encoded[view.Message.Header]);
        Assert.Equal(ciphertext, encoded[view.Message.Ciphertext]);
    }

    [Fact]
    public void TryRead_MissingKemPreKeyId_IsRefused()
    {
        byte[] encoded = WirePreKeyMessage.Write(WireTestBytes.Fill(128, 1), WireTestBytes.Fill(32, 2), 7, 0, 0, WireTestBytes.Fill(1088, 3), WireTestBytes.Fill(80, 4), WireTestBytes.Fill(80, 5));

        Assert.False(WirePreKeyMessage.TryRead(encoded, out _, out EnvelopeFailure failure));
        Assert.Equal(EnvelopeFailure.InvalidPreKeyId, failure);
    }
}
