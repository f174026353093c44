using E2eChat.Wire;
using Google.Protobuf;
using Proto = E2eChat.Wire.Proto;

namespace E2eChat.Tests.Wire;

public sealed class WireSenderKeyDistributionTests
{
    [Theory]
    [InlineData(0u)]
    [InlineData(70_000u)]
    public void Write_MatchesGoogleProtobufAndReadsBack(uint iteration)
    {
        byte[] distributionId = WireTestBytes.Fill(16, 1);
        byte[] chainKey = WireTestBytes.Fill(32, 2);
        byte[] signingKey = WireTestBytes.Fill(32, 3);
        byte[] encoded = new byte[WireSenderKeyDistribution.GetEncodedLength(5, iteration)];

        WireSenderKeyDistribution.Write(distributionId, 5, iteration, chainKey, signingKey, encoded);

        var expected = new Proto.SenderKeyDistribution
        {
            DistributionId = ByteString.CopyFrom(distributionId),
            ChainId = 5,
            Iteration = iteration,
            ChainKey = ByteString.CopyFrom(chainKey),
            SigningKey = ByteString.CopyFrom(signingKey),
        };
        Assert.Equal(expected.ToByteArray(), encoded);
        Assert.True(WireSenderKeyDistribution.TryRead(encoded, out SenderKeyDistributionView view, out EnvelopeFailure failure));
        Assert.Equal(EnvelopeFailure.None, failure);
        Assert.Equal(distributionId, encoded[view.DistributionId]);
        Assert.Equal(5u, view.ChainId);
        Assert.Equal(iteration, view.Iteration);
        Assert.Equal(chainKey, encoded[view.ChainKey]);
        Assert.Equal(signingKey, encoded[view.SigningKey]);
    }

    [Fact]
    public void TryRead_ShortChainKey_IsRefused()
    {
        var message = new Proto.SenderKeyDistribution
        {
            DistributionId = ByteString.CopyFrom(WireTestBytes.Fill(16, 1)),
            ChainId = 5,
            ChainKey = ByteString.CopyFrom(WireTestBytes.Fill(31, 2)),
            SigningKey = ByteString.CopyFrom(WireTestBytes.Fill(32, 3)),
        };

        Assert.False(WireSenderKeyDistribution.TryRead(message.ToByteArray(), out _, out EnvelopeFailure failure));
        Assert.Equal(EnvelopeFailure.InvalidKeyLength, failure);
    }

    [Fact]
    public void TryRead_UnknownField_IsRefused()
    {
        byte[] encoded = new byte[WireSenderKeyDistribution.GetEncodedLength(5, 1)];
        WireSenderKeyDistribution.Write(WireTestBytes.Fill(16, 1), 5, 1, WireTestBytes.Fill(32, 2), WireTestBytes.Fill(32, 3), encoded);

        Assert.False(WireSenderKeyDistribution.TryRead([.. encoded, 0x30, 0x01], out _, out EnvelopeFailure failure));
        Assert.Equal(EnvelopeFailure.UnknownField, failure);
    }

    [Fact]
    public void TryRead_EmptyOrCutSigningKey_ReportsTheReadFailure()
    {
        byte[] encoded = new byte[WireSenderKeyDistribution.GetEncodedLength(5, 1)];
        WireSenderKeyDistribution.Write(WireTestBytes.Fill(16, 1), 5, 1, WireTestBytes.Fill(32, 2), WireTestBytes.Fill(32, 3), encoded);
        ReadOnlySpan<byte> withoutSigningKey = encoded.AsSpan(..^34); // tag 0x2A, length 0x20 and the 32 key bytes are last

        // An empty bytes field is a default value written, not a key of the wrong length.
        Assert.False(WireSenderKeyDistribution.TryRead([.. withoutSigningKey, 0x2A, 0x00], out _, out EnvelopeFailure failure));
        Assert.Equal(EnvelopeFailure.DefaultValueWritten, failure);

        // A declared length past the end is truncation, not a key of the wrong length.
        Assert.False(WireSenderKeyDistribution.TryRead(encoded.AsSpan(..^1), out _, out failure));
        Assert.Equal(EnvelopeFailure.Truncated, failure);
    }
}
