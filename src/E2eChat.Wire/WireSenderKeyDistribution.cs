using Schema = E2eChat.Wire.FieldNumbers.SenderKeyDistribution;

namespace E2eChat.Wire;

/// <summary>
/// The codec of a <c>SenderKeyDistribution</c> (<c>wire.proto</c>, PROTOCOL.md section 7):
/// <c>distribution_id</c> (1) 16 bytes, <c>chain_id</c> (2) nonzero, <c>iteration</c> (3) optional,
/// <c>chain_key</c> (4) and <c>signing_key</c> (5) 32 bytes each; read under the canonical rules of
/// PROTOCOL.md section 8. It travels inside a ratchet ciphertext, so only its recipient reads it.
/// </summary>
internal static class WireSenderKeyDistribution
{
    /// <summary>The length of the chain key and of the signing public key.</summary>
    internal const int KeyLength = 32;

    private const uint LengthDelimitedFields = (1u << Schema.DistributionIdFieldNumber) | (1u << Schema.ChainKeyFieldNumber) | (1u << Schema.SigningKeyFieldNumber);

    private static readonly EnvelopeFailure[] s_required =
    [
        EnvelopeFailure.None,
        EnvelopeFailure.InvalidDistributionId,
        EnvelopeFailure.InvalidChainId,
        EnvelopeFailure.None,
        EnvelopeFailure.InvalidKeyLength,
        EnvelopeFailure.InvalidKeyLength,
    ];

    /// <summary>Reads a distribution message; never throws.</summary>
    /// <param name="message">The encoded message.</param>
    /// <param name="view">On success, its fields (ranges into <paramref name="message"/>).</param>
    /// <param name="failure">On failure, the first rule broken; otherwise <see cref="EnvelopeFailure.None"/>.</param>
    /// <returns><see langword="true"/> when the message is valid.</returns>
    internal static bool TryRead(ReadOnlySpan<byte> message, out SenderKeyDistributionView view, out EnvelopeFailure failure)
    {
        failure = Read(message, out view);
        return failure == EnvelopeFailure.None;
    }

    /// <summary>The encoded length of a distribution message.</summary>
    /// <param name="chainId">The chain id (nonzero).</param>
    /// <param name="iteration">The iteration.</param>
    /// <returns>The length in bytes.</returns>
    internal static int GetEncodedLength(uint chainId, uint iteration) => checked(
        ProtoWriter.BytesFieldLength(Schema.DistributionIdFieldNumber, WireLimits.DistributionIdLength)
        + ProtoWriter.VarintFieldLength(Schema.ChainIdFieldNumber, chainId)
        + ProtoWriter.VarintFieldLength(Schema.IterationFieldNumber, iteration)
        + ProtoWriter.BytesFieldLength(Schema.ChainKeyFieldNumber, KeyLength)
        + ProtoWriter.BytesFieldLength(Schema.SigningKeyFieldNumber, KeyLength));

    /// <summary>Writes the canonical encoding.</summary>
    /// <param name="distributionId">The 16-byte distribution id.</param>
    /// <param name="chainId">The chain id.</param>
    /// <param name="iteration">The iteration.</param>
    /// <param name="chainKey">The 32-byte chain key at <paramref name="iteration"/>.</param>
    /// <param name="signingKey">The 32-byte signing public key.</param>
    /// <param name="output">Exactly <see cref="GetEncodedLength"/> bytes (the caller wipes it: it holds the chain key).</param>
    internal static void Write(ReadOnlySpan<byte> distributionId, uint chainId, uint iteration, ReadOnlySpan<byte> chainKey, ReadOnlySpan<byte> signingKey, Span<byte> output)
    {
        var writer = new ProtoWriter(output);
        writer.WriteBytesField(Schema.DistributionIdFieldNumber, distributionId);
        writer.WriteVarintField(Schema.ChainIdFieldNumber, chainId);
        writer.WriteVarintField(Schema.IterationFieldNumber, iteration);
        writer.WriteBytesField(Schema.ChainKeyFieldNumber, chainKey);
        writer.WriteBytesField(Schema.SigningKeyFieldNumber, signingKey);
    }

    private static EnvelopeFailure Read(ReadOnlySpan<byte> message, out SenderKeyDistributionView view) =>
        ProtoMessage.Read<Fields, SenderKeyDistributionView>(message, 0, message.Length, s_required, LengthDelimitedFields, out view);

    private struct Fields : IMessageFields<SenderKeyDistributionView>
    {
        internal Range DistributionId, ChainKey, SigningKey;
        internal uint ChainId, Iteration;

        public EnvelopeFailure Read(ref ProtoReader reader, ReadOnlySpan<byte> buffer, int field) => field switch
        {
            Schema.DistributionIdFieldNumber => ProtoMessage.ReadFixedLength(ref reader, WireLimits.DistributionIdLength, EnvelopeFailure.InvalidDistributionId, out DistributionId),
            Schema.ChainIdFieldNumber => reader.ReadUInt32(out ChainId),
            Schema.IterationFieldNumber => reader.ReadUInt32(out Iteration),
            Schema.ChainKeyFieldNumber => ProtoMessage.ReadFixedLength(ref reader, KeyLength, EnvelopeFailure.InvalidKeyLength, out ChainKey),
            _ => ProtoMessage.ReadFixedLength(ref reader, KeyLength, EnvelopeFailure.InvalidKeyLength, out SigningKey),
        };

        public readonly SenderKeyDistributionView ToView() => new(DistributionId, ChainId, Iteration, ChainKey, SigningKey);
    }
}
