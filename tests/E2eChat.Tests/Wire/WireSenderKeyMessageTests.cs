using E2eChat.Wire;
using Google.Protobuf;
using Proto = E2eChat.Wire.Proto;

namespace E2eChat.Tests.Wire;

public sealed class WireSenderKeyMessageTests
{
    [Theory]
    [InlineData(0u, 0ul)]
    [InlineData(1000u, 1_764_900_000_000ul)]
    public void Write_MatchesGoogleProtobufAndReadsBack(uint iteration, ulong expiresAt)
    {
        byte[] distributionId = WireTestBytes.Fill(16, 1);
        byte[] ciphertext = WireTestBytes.Fill(64 + 16, 2);
        byte[] signature = WireTestBytes.Fill(64, 3);
        byte[] encoded = new byte[WireSenderKeyMessage.GetEncodedLength(9, iteration, expiresAt, ciphertext.Length)];

        Span<byte> signatureSlot = WireSenderKeyMessage.Write(distributionId, 9, iteration, expiresAt, encoded, ciphertext.Length, out Span<byte> ciphertextSlot);
        ciphertext.CopyTo(ciphertextSlot);
        signature.CopyTo(signatureSlot);

        var expected = new Proto.SenderKeyMessage
        {
            DistributionId = ByteString.CopyFrom(distributionId),
            ChainId = 9,
            Iteration = iteration,
            ExpiresAtMs = expiresAt,
            Ciphertext = ByteString.CopyFrom(ciphertext),
            Signature = ByteString.CopyFrom(signature),
        };
        Assert.Equal(expected.ToByteArray(), encoded);
        Assert.True(WireSenderKeyMessage.TryRead(encoded, out SenderKeyMessageView view, out EnvelopeFailure failure));
        Assert.Equal(EnvelopeFailure.None, failure);
        Assert.Equal(distributionId, encoded[view.DistributionId]);
        Assert.Equal(9u, view.ChainId);
        Assert.Equal(iteration, view.Iteration);
        Assert.Equal(expiresAt, view.ExpiresAtMilliseconds);
        Assert.Equal(ciphertext, encoded[view.Ciphertext]);
        Assert.Equal(signature, encoded[view.Signature]);
    }

    [Fact]
    public void TryRead_CiphertextNotABucket_IsRefused()
    {
        byte[] encoded = new byte[WireSenderKeyMessage.GetEncodedLength(9, 0, 0, 65 + 16)];
        _ = WireSenderKeyMessage.Write(WireTestBytes.Fill(16, 1), 9, 0, 0, encoded, 65 + 16, out _);

        Assert.False(WireSenderKeyMessage.TryRead(encoded, out _, out EnvelopeFailure failure));
        Assert.Equal(EnvelopeFailure.InvalidCiphertextLength, failure);
    }
}
