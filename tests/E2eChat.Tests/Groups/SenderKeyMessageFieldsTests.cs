using Google.Protobuf;

namespace E2eChat.Tests.Groups;

public sealed class SenderKeyMessageFieldsTests
{
    private static readonly byte[] s_distributionId = [.. Enumerable.Range(1, 16).Select(i => (byte)i)];

    public static TheoryData<uint, uint, ulong, int> Values => new()
    {
        { 1, 0, 0, 80 },
        { 0x7F, 0x80, 1, 144 },
        { uint.MaxValue, ProtocolLimits.MaxChainCounter, ulong.MaxValue, 16400 },
        { 300, 2, 1_767_225_600_000, 81936 },
    };

    [Theory]
    [MemberData(nameof(Values))]
    public void TryParse_GoogleProtobufEncoding_AcceptedWithSameValues(uint chainId, uint iteration, ulong expiresAt, int ciphertextLength)
    {
        E2eChat.Wire.Proto.SenderKeyMessage message = Message(chainId, iteration, expiresAt, ciphertextLength);
        byte[] encoded = message.ToByteArray();

        Assert.True(SenderKeyMessageFields.TryParse(encoded, out SenderKeyMessageFields fields));
        Assert.Equal(s_distributionId, fields.DistributionId.ToArray());
        Assert.Equal(chainId, fields.ChainId);
        Assert.Equal(iteration, fields.Iteration);
        Assert.Equal(expiresAt, fields.ExpiresAtMilliseconds);
        Assert.Equal(message.Ciphertext.ToByteArray(), fields.Ciphertext.ToArray());
        Assert.Equal(message.Signature.ToByteArray(), fields.Signature.ToArray());
        Assert.Equal(encoded.Length, SenderKeyMessageFields.GetEncodedLength(chainId, iteration, expiresAt, ciphertextLength));
    }

    [Theory]
    [MemberData(nameof(Values))]
    public void Write_SameBytesAsGoogleProtobuf(uint chainId, uint iteration, ulong expiresAt, int ciphertextLength)
    {
        E2eChat.Wire.Proto.SenderKeyMessage message = Message(chainId, iteration, expiresAt, ciphertextLength);
        byte[] output = new byte[SenderKeyMessageFields.GetEncodedLength(chainId, iteration, expiresAt, ciphertextLength)];
        Span<byte> signature = SenderKeyMessageFields.Write(s_distributionId, chainId, iteration, expiresAt, output, ciphertextLength, out Span<byte> ciphertext);
        message.Ciphertext.Span.CopyTo(ciphertext);
        message.Signature.Span.CopyTo(signature);
        Assert.Equal(message.ToByteArray(), output);
    }

    [Fact]
    public void WriteHeader_IsBigEndianFields()
    {
        byte[] header = new byte[SenderKeyMessageFields.HeaderLength];
        SenderKeyMessageFields.WriteHeader(s_distributionId, 0x01020304, 0x05060708, 0x090A0B0C0D0E0F10, header);
        Assert.Equal(32, header.Length);
        Assert.Equal([.. s_distributionId, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16], header);
    }

    public static TheoryData<string, byte[]> NonCanonical()
    {
        byte[] valid = Message(5, 6, 7, 80).ToByteArray();
        int chain = 18;   // index of the chain id tag: 0x0A 0x10 <16 bytes>
        var data = new TheoryData<string, byte[]>
        {
            { "empty", [] },
            { "trailing byte", [.. valid, 0x00] },
            { "unknown field", [.. valid, 0x38, 0x01] },
            { "non-minimal chain id", [.. valid[..(chain + 1)], 0x85, 0x00, .. valid[(chain + 2)..]] },
            { "explicit zero iteration", [.. valid[..(chain + 2)], 0x18, 0x00, .. valid[(chain + 4)..]] },
            { "duplicate chain id", [.. valid[..(chain + 2)], 0x10, 0x05, .. valid[(chain + 2)..]] },
            { "chain id before distribution id", [.. valid[chain..(chain + 2)], .. valid[..chain], .. valid[(chain + 2)..]] },
            { "chain id as bytes", [.. valid[..chain], 0x12, 0x01, 0x05, .. valid[(chain + 2)..]] },
            { "chain id above 32 bits", [.. valid[..(chain + 1)], 0x80, 0x80, 0x80, 0x80, 0x10, .. valid[(chain + 2)..]] },
            { "two-byte tag", [.. valid[..chain], 0x90, 0x00, 0x05, .. valid[(chain + 2)..]] },
            { "expiry varint overflow", [.. valid[..(chain + 4)], 0x20, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x02, .. valid[(chain + 6)..]] },
            { "expiry varint eleven bytes", [.. valid[..(chain + 4)], 0x20, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x81, 0x00, .. valid[(chain + 6)..]] },
            { "missing chain id", Message(0, 6, 7, 80).ToByteArray() },
            { "iteration 4294967295", Message(5, uint.MaxValue, 7, 80).ToByteArray() },
            { "distribution id 15 bytes", With(m => m.DistributionId = ByteString.CopyFrom(new byte[15])) },
            { "distribution id 17 bytes", With(m => m.DistributionId = ByteString.CopyFrom(new byte[17])) },
            { "no ciphertext", With(m => m.Ciphertext = ByteString.Empty) },
            { "ciphertext 15 bytes", With(m => m.Ciphertext = ByteString.CopyFrom(new byte[15])) },
            { "ciphertext not a bucket", With(m => m.Ciphertext = ByteString.CopyFrom(new byte[81])) },
            { "ciphertext bucket without tag", With(m => m.Ciphertext = ByteString.CopyFrom(new byte[64])) },
            { "ciphertext above largest bucket", With(m => m.Ciphertext = ByteString.CopyFrom(new byte[98304 + 16])) },
            { "signature 63 bytes", With(m => m.Signature = ByteString.CopyFrom(new byte[63])) },
            { "signature 65 bytes", With(m => m.Signature = ByteString.CopyFrom(new byte[65])) },
            { "no signature", With(m => m.Signature = ByteString.Empty) },
            { "truncated", valid[..^1] },
        };
        return data;
    }

    [Theory]
    [MemberData(nameof(NonCanonical))]
    public void TryParse_NotCanonical_Refused(string name, byte[] encoded)
    {
        Assert.False(SenderKeyMessageFields.TryParse(encoded, out _), name);
    }

    private static byte[] With(Action<E2eChat.Wire.Proto.SenderKeyMessage> change)
    {
        E2eChat.Wire.Proto.SenderKeyMessage message = Message(5, 6, 7, 80);
        change(message);
        return message.ToByteArray();
    }

    private static E2eChat.Wire.Proto.SenderKeyMessage Message(uint chainId, uint iteration, ulong expiresAt, int ciphertextLength) => new()
    {
        DistributionId = ByteString.CopyFrom(s_distributionId),
        ChainId = chainId,
        Iteration = iteration,
        ExpiresAtMs = expiresAt,
        Ciphertext = ByteString.CopyFrom([.. Enumerable.Range(0, ciphertextLength).Select(i => unchecked((byte)(i * 7)))]),
        Signature = ByteString.CopyFrom([.. Enumerable.Range(0, 64).Select(i => (byte)(255 - i))]),
    };
}
