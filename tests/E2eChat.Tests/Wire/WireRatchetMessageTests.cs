using E2eChat.Wire;
using Google.Protobuf;
using Proto = E2eChat.Wire.Proto;

namespace E2eChat.Tests.Wire;

public sealed class WireRatchetMessageTests
{
    [Fact]
    public void Write_MatchesGoogleProtobufAndReadsBack()
    {
        byte[] header = WireTestBytes.Fill(80, 1);
        byte[] ciphertext = WireTestBytes.Fill(64 + 16, 2);

        byte[] encoded = WireRatchetMessage.Write(header, ciphertext);

        var expected = new Proto.RatchetMessage { Header = ByteString.CopyFrom(header), Ciphertext = ByteString.CopyFrom(ciphertext) };
        Assert.Equal(expected.ToByteArray(), encoded);
        Assert.True(WireRatchetMessage.TryRead(encoded, out RatchetMessageView view, out EnvelopeFailure failure));
        Assert.Equal(EnvelopeFailure.None, failure);
        Assert.Equal(header, encoded[view.Header]);
        Assert.Equal(ciphertext, encoded[view.Ciphertext]);
    }

    [Fact]
    public void TryRead_FieldsSwapped_IsRefusedAsOutOfOrder()
    {
        byte[] header = WireTestBytes.Fill(80, 1);
        byte[] ciphertext = WireTestBytes.Fill(64 + 16, 2);
        byte[] encoded = WireRatchetMessage.Write(header, ciphertext);
        byte[] swapped = [.. encoded.AsSpan(2 + 80), .. encoded.AsSpan(0, 2 + 80)];

        Assert.False(WireRatchetMessage.TryRead(swapped, out RatchetMessageView view, out EnvelopeFailure failure));
        Assert.Equal(EnvelopeFailure.InvalidHeaderLength, failure);
        Assert.Equal(default, view.Header);
    }
}
