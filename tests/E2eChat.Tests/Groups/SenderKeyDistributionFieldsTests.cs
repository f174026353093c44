using Google.Protobuf;

namespace E2eChat.Tests.Groups;

public sealed class SenderKeyDistributionFieldsTests
{
    [Theory]
    [InlineData(1u, 0u)]
    [InlineData(0x80u, 1u)]
    [InlineData(uint.MaxValue, ProtocolLimits.MaxChainCounter)]
    public void WriteAndTryParse_MatchGoogleProtobuf(uint chainId, uint iteration)
    {
        E2eChat.Wire.Proto.SenderKeyDistribution message = Message(chainId, iteration);
        byte[] expected = message.ToByteArray();
        byte[] written = new byte[SenderKeyDistributionFields.GetEncodedLength(chainId, iteration)];
        SenderKeyDistributionFields.Write(message.DistributionId.Span, chainId, iteration, message.ChainKey.Span, message.SigningKey.Span, written);
        Assert.Equal(expected, written);

        Assert.True(SenderKeyDistributionFields.TryParse(expected, out SenderKeyDistributionFields fields));
        Assert.Equal(message.DistributionId.ToByteArray(), fields.DistributionId.ToArray());
        Assert.Equal(chainId, fields.ChainId);
        Assert.Equal(iteration, fields.Iteration);
        Assert.Equal(message.ChainKey.ToByteArray(), fields.ChainKey.ToArray());
        Assert.Equal(message.SigningKey.ToByteArray(), fields.SigningKey.ToArray());
    }

    public static TheoryData<string, byte[]> NonCanonical()
    {
        byte[] valid = Message(5, 6).ToByteArray();
        return new TheoryData<string, byte[]>
        {
            { "empty", [] },
            { "truncated", valid[..^1] },
            { "trailing byte", [.. valid, 0x00] },
            { "unknown field", [.. valid, 0x30, 0x01] },
            { "missing chain id", Message(0, 6).ToByteArray() },
            { "iteration 4294967295", Message(5, uint.MaxValue).ToByteArray() },
            { "explicit zero iteration", [.. valid[..20], 0x18, 0x00, .. valid[22..]] },
            { "non-minimal iteration", [.. valid[..20], 0x18, 0x86, 0x00, .. valid[22..]] },
            { "distribution id 15 bytes", With(m => m.DistributionId = ByteString.CopyFrom(new byte[15])) },
            { "chain key 31 bytes", With(m => m.ChainKey = ByteString.CopyFrom(new byte[31])) },
            { "no chain key", With(m => m.ChainKey = ByteString.Empty) },
            { "signing key 33 bytes", With(m => m.SigningKey = ByteString.CopyFrom(new byte[33])) },
            { "no signing key", With(m => m.SigningKey = ByteString.Empty) },
            { "a SenderKeyMessage", PostBytes() },
        };
    }

    [Theory]
    [MemberData(nameof(NonCanonical))]
    public void TryParse_NotCanonical_Refused(string name, byte[] encoded)
    {
        Assert.False(SenderKeyDistributionFields.TryParse(encoded, out _), name);
    }

    private static byte[] PostBytes()
    {
        using var group = new SenderKeyTestGroup(0);
        return group.Post("x");
    }

    private static byte[] With(Action<E2eChat.Wire.Proto.SenderKeyDistribution> change)
    {
        E2eChat.Wire.Proto.SenderKeyDistribution message = Message(5, 6);
        change(message);
        return message.ToByteArray();
    }

    private static E2eChat.Wire.Proto.SenderKeyDistribution Message(uint chainId, uint iteration) => new()
    {
        DistributionId = ByteString.CopyFrom([.. Enumerable.Range(0, 16).Select(i => (byte)(i + 1))]),
        ChainId = chainId,
        Iteration = iteration,
        ChainKey = ByteString.CopyFrom([.. Enumerable.Range(0, 32).Select(i => (byte)(i + 50))]),
        SigningKey = ByteString.CopyFrom([.. Enumerable.Range(0, 32).Select(i => (byte)(i + 100))]),
    };
}
