using Schema = E2eChat.Wire.FieldNumbers.SenderKeyMessage;

namespace E2eChat.Wire;

/// <summary>
/// The codec of a <c>SenderKeyMessage</c> (<c>wire.proto</c>): <c>distribution_id</c> (1) 16 bytes,
/// <c>chain_id</c> (2) nonzero, <c>iteration</c> (3) and <c>expires_at_ms</c> (4) optional,
/// <c>ciphertext</c> (5) a padding bucket plus 16 bytes and <c>signature</c> (6) 64 bytes.
/// </summary>
internal static class WireSenderKeyMessage
{
    private const uint LengthDelimitedFields = (1u << Schema.DistributionIdFieldNumber) | (1u << Schema.CiphertextFieldNumber) | (1u << Schema.SignatureFieldNumber);

    private static readonly EnvelopeFailure[] s_required =
    [
        EnvelopeFailure.None,
        EnvelopeFailure.InvalidDistributionId,
        EnvelopeFailure.InvalidChainId,
        EnvelopeFailure.None,
        EnvelopeFailure.None,
        EnvelopeFailure.InvalidCiphertextLength,
        EnvelopeFailure.InvalidSignatureLength,
    ];

    /// <summary>Validates the sender-key message at <c>envelope[start..end]</c>.</summary>
    /// <param name="envelope">The whole envelope.</param>
    /// <param name="start">Where the message starts.</param>
    /// <param name="end">Where it ends (exclusive).</param>
    /// <param name="ciphertextLength">The ciphertext's length, on success.</param>
    /// <param name="expiresAtMilliseconds">The expiry, 0 for none, on success.</param>
    /// <returns><see cref="EnvelopeFailure.None"/> or the first rule broken.</returns>
    internal static EnvelopeFailure Validate(ReadOnlySpan<byte> envelope, int start, int end, out int ciphertextLength, out ulong expiresAtMilliseconds)
    {
        EnvelopeFailure failure = Read(envelope, start, end, out SenderKeyMessageView view);
        ciphertextLength = failure == EnvelopeFailure.None ? view.Ciphertext.End.Value - view.Ciphertext.Start.Value : 0;
        expiresAtMilliseconds = view.ExpiresAtMilliseconds;
        return failure;
    }

    /// <summary>Reads a whole buffer as a sender-key message; never throws.</summary>
    /// <param name="message">The encoded message.</param>
    /// <param name="view">On success, its fields (ranges into <paramref name="message"/>).</param>
    /// <param name="failure">On failure, the first rule broken; otherwise <see cref="EnvelopeFailure.None"/>.</param>
    /// <returns><see langword="true"/> when the message is valid.</returns>
    internal static bool TryRead(ReadOnlySpan<byte> message, out SenderKeyMessageView view, out EnvelopeFailure failure)
    {
        failure = Read(message, 0, message.Length, out view);
        return failure == EnvelopeFailure.None;
    }

    /// <summary>Reads the sender-key message at <c>envelope[start..end]</c>.</summary>
    /// <param name="envelope">The bytes holding the message.</param>
    /// <param name="start">Where the message starts.</param>
    /// <param name="end">Where it ends (exclusive).</param>
    /// <param name="view">On success, its fields (ranges into <paramref name="envelope"/>).</param>
    /// <returns><see cref="EnvelopeFailure.None"/> or the first rule broken.</returns>
    internal static EnvelopeFailure Read(ReadOnlySpan<byte> envelope, int start, int end, out SenderKeyMessageView view) =>
        ProtoMessage.Read<Fields, SenderKeyMessageView>(envelope, start, end, s_required, LengthDelimitedFields, out view);

    /// <summary>The encoded length of a message with these field values.</summary>
    /// <param name="chainId">The chain id (nonzero).</param>
    /// <param name="iteration">The iteration.</param>
    /// <param name="expiresAtMilliseconds">The expiry, 0 for none.</param>
    /// <param name="ciphertextLength">The ciphertext length.</param>
    /// <returns>The length in bytes.</returns>
    internal static int GetEncodedLength(uint chainId, uint iteration, ulong expiresAtMilliseconds, int ciphertextLength) => checked(
        ProtoWriter.BytesFieldLength(Schema.DistributionIdFieldNumber, WireLimits.DistributionIdLength)
        + ProtoWriter.VarintFieldLength(Schema.ChainIdFieldNumber, chainId)
        + ProtoWriter.VarintFieldLength(Schema.IterationFieldNumber, iteration)
        + ProtoWriter.VarintFieldLength(Schema.ExpiresAtMsFieldNumber, expiresAtMilliseconds)
        + ProtoWriter.BytesFieldLength(Schema.CiphertextFieldNumber, ciphertextLength)
        + ProtoWriter.BytesFieldLength(Schema.SignatureFieldNumber, WireLimits.SignatureLength));

    /// <summary>
    /// Writes the canonical encoding up to the ciphertext's content and returns where the ciphertext
    /// and the signature go, for the caller to fill in (the signature covers the ciphertext).
    /// </summary>
    /// <param name="distributionId">The 16-byte distribution id.</param>
    /// <param name="chainId">The chain id.</param>
    /// <param name="iteration">The iteration.</param>
    /// <param name="expiresAtMilliseconds">The expiry, 0 for none.</param>
    /// <param name="output">Exactly <see cref="GetEncodedLength"/> bytes.</param>
    /// <param name="ciphertextLength">The ciphertext length.</param>
    /// <param name="ciphertext">Where the ciphertext goes.</param>
    /// <returns>Where the 64-byte signature goes.</returns>
    internal static Span<byte> Write(ReadOnlySpan<byte> distributionId, uint chainId, uint iteration, ulong expiresAtMilliseconds, Span<byte> output, int ciphertextLength, out Span<byte> ciphertext)
    {
        var writer = new ProtoWriter(output);
        writer.WriteBytesField(Schema.DistributionIdFieldNumber, distributionId);
        writer.WriteVarintField(Schema.ChainIdFieldNumber, chainId);
        writer.WriteVarintField(Schema.IterationFieldNumber, iteration);
        writer.WriteVarintField(Schema.ExpiresAtMsFieldNumber, expiresAtMilliseconds);
        ciphertext = writer.ReserveBytesField(Schema.CiphertextFieldNumber, ciphertextLength);
        return writer.ReserveBytesField(Schema.SignatureFieldNumber, WireLimits.SignatureLength);
    }

    private struct Fields : IMessageFields<SenderKeyMessageView>
    {
        internal Range DistributionId, Ciphertext, Signature;
        internal uint ChainId, Iteration;
        internal ulong ExpiresAt;

        public EnvelopeFailure Read(ref ProtoReader reader, ReadOnlySpan<byte> buffer, int field) => field switch
        {
            Schema.DistributionIdFieldNumber => ProtoMessage.ReadFixedLength(ref reader, WireLimits.DistributionIdLength, EnvelopeFailure.InvalidDistributionId, out DistributionId),
            Schema.ChainIdFieldNumber => reader.ReadUInt32(out ChainId),
            Schema.IterationFieldNumber => reader.ReadUInt32(out Iteration),
            Schema.ExpiresAtMsFieldNumber => reader.ReadUInt64(out ExpiresAt),
            Schema.CiphertextFieldNumber => ProtoMessage.ReadCiphertext(ref reader, out Ciphertext),
            _ => ProtoMessage.ReadFixedLength(ref reader, WireLimits.SignatureLength, EnvelopeFailure.InvalidSignatureLength, out Signature),
        };

        public readonly SenderKeyMessageView ToView() => new(DistributionId, ChainId, Iteration, ExpiresAt, Ciphertext, Signature);
    }
}
