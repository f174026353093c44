using Schema = E2eChat.Wire.FieldNumbers.PreKeyMessage;

namespace E2eChat.Wire;

/// <summary>
/// The codec of a <c>PreKeyMessage</c> (<c>wire.proto</c>): <c>identity_key</c> (1) 128 bytes,
/// <c>base_key</c> (2) 32 bytes, <c>signed_prekey_id</c> (3) nonzero, <c>one_time_prekey_id</c> (4)
/// optional, <c>kem_prekey_id</c> (5) nonzero, <c>kem_ciphertext</c> (6) 1088 bytes and
/// <c>message</c> (7) a valid <c>RatchetMessage</c>; all but field 4 required.
/// </summary>
internal static class WirePreKeyMessage
{
    private const uint LengthDelimitedFields =
        (1u << Schema.IdentityKeyFieldNumber) | (1u << Schema.BaseKeyFieldNumber) | (1u << Schema.KemCiphertextFieldNumber) | (1u << Schema.MessageFieldNumber);

    private static readonly EnvelopeFailure[] s_required =
    [
        EnvelopeFailure.None,
        EnvelopeFailure.InvalidIdentityKeyLength,
        EnvelopeFailure.InvalidBaseKeyLength,
        EnvelopeFailure.InvalidPreKeyId,
        EnvelopeFailure.None,
        EnvelopeFailure.InvalidPreKeyId,
        EnvelopeFailure.InvalidKemCiphertextLength,
        EnvelopeFailure.MissingRatchetMessage,
    ];

    /// <summary>Validates the pre-key message at <c>envelope[start..end]</c>.</summary>
    /// <param name="envelope">The whole envelope.</param>
    /// <param name="start">Where the message starts.</param>
    /// <param name="end">Where it ends (exclusive).</param>
    /// <param name="ciphertextLength">The carried ratchet message's ciphertext length, on success.</param>
    /// <returns><see cref="EnvelopeFailure.None"/> or the first rule broken.</returns>
    internal static EnvelopeFailure Validate(ReadOnlySpan<byte> envelope, int start, int end, out int ciphertextLength)
    {
        EnvelopeFailure failure = Read(envelope, start, end, out PreKeyMessageView view);
        ciphertextLength = failure == EnvelopeFailure.None ? view.Message.Ciphertext.End.Value - view.Message.Ciphertext.Start.Value : 0;
        return failure;
    }

    /// <summary>Reads a whole buffer as a pre-key message; never throws.</summary>
    /// <param name="message">The encoded message.</param>
    /// <param name="view">On success, its fields (ranges into <paramref name="message"/>).</param>
    /// <param name="failure">On failure, the first rule broken; otherwise <see cref="EnvelopeFailure.None"/>.</param>
    /// <returns><see langword="true"/> when the message is valid.</returns>
    internal static bool TryRead(ReadOnlySpan<byte> message, out PreKeyMessageView view, out EnvelopeFailure failure)
    {
        failure = Read(message, 0, message.Length, out view);
        return failure == EnvelopeFailure.None;
    }

    /// <summary>Reads the pre-key message at <c>envelope[start..end]</c>.</summary>
    /// <param name="envelope">The bytes holding the message.</param>
    /// <param name="start">Where the message starts.</param>
    /// <param name="end">Where it ends (exclusive).</param>
    /// <param name="view">On success, its fields (ranges into <paramref name="envelope"/>).</param>
    /// <returns><see cref="EnvelopeFailure.None"/> or the first rule broken.</returns>
    internal static EnvelopeFailure Read(ReadOnlySpan<byte> envelope, int start, int end, out PreKeyMessageView view) =>
        ProtoMessage.Read<Fields, PreKeyMessageView>(envelope, start, end, s_required, LengthDelimitedFields, out view);

    /// <summary>Writes the canonical encoding of a pre-key message carrying a ratchet message.</summary>
    /// <param name="identityKey">The initiator's 128-byte public identity.</param>
    /// <param name="baseKey">The 32-byte base key.</param>
    /// <param name="signedPreKeyId">The signed pre-key id.</param>
    /// <param name="oneTimePreKeyId">The one-time pre-key id, 0 for none (left out).</param>
    /// <param name="kemPreKeyId">The KEM pre-key id.</param>
    /// <param name="kemCiphertext">The 1088-byte ML-KEM ciphertext.</param>
    /// <param name="header">The carried ratchet message's encrypted header.</param>
    /// <param name="ciphertext">The carried ratchet message's ciphertext.</param>
    /// <returns>The encoded message.</returns>
    internal static byte[] Write(
        ReadOnlySpan<byte> identityKey,
        ReadOnlySpan<byte> baseKey,
        uint signedPreKeyId,
        uint oneTimePreKeyId,
        uint kemPreKeyId,
        ReadOnlySpan<byte> kemCiphertext,
        ReadOnlySpan<byte> header,
        ReadOnlySpan<byte> ciphertext)
    {
        int messageLength = WireRatchetMessage.GetEncodedLength(header.Length, ciphertext.Length);
        int length = checked(
            ProtoWriter.BytesFieldLength(Schema.IdentityKeyFieldNumber, identityKey.Length)
            + ProtoWriter.BytesFieldLength(Schema.BaseKeyFieldNumber, baseKey.Length)
            + ProtoWriter.VarintFieldLength(Schema.SignedPrekeyIdFieldNumber, signedPreKeyId)
            + ProtoWriter.VarintFieldLength(Schema.OneTimePrekeyIdFieldNumber, oneTimePreKeyId)
            + ProtoWriter.VarintFieldLength(Schema.KemPrekeyIdFieldNumber, kemPreKeyId)
            + ProtoWriter.BytesFieldLength(Schema.KemCiphertextFieldNumber, kemCiphertext.Length)
            + ProtoWriter.BytesFieldLength(Schema.MessageFieldNumber, messageLength));
        byte[] encoded = new byte[length];
        var writer = new ProtoWriter(encoded);
        writer.WriteBytesField(Schema.IdentityKeyFieldNumber, identityKey);
        writer.WriteBytesField(Schema.BaseKeyFieldNumber, baseKey);
        writer.WriteVarintField(Schema.SignedPrekeyIdFieldNumber, signedPreKeyId);
        writer.WriteVarintField(Schema.OneTimePrekeyIdFieldNumber, oneTimePreKeyId);
        writer.WriteVarintField(Schema.KemPrekeyIdFieldNumber, kemPreKeyId);
        writer.WriteBytesField(Schema.KemCiphertextFieldNumber, kemCiphertext);
        WireRatchetMessage.Write(header, ciphertext, writer.ReserveBytesField(Schema.MessageFieldNumber, messageLength));
        return encoded;
    }

    private struct Fields : IMessageFields<PreKeyMessageView>
    {
        internal Range IdentityKey, BaseKey, KemCiphertext;
        internal uint SignedPreKeyId, OneTimePreKeyId, KemPreKeyId;
        internal RatchetMessageView Message;

        public EnvelopeFailure Read(ref ProtoReader reader, ReadOnlySpan<byte> buffer, int field) => field switch
        {
            Schema.IdentityKeyFieldNumber => ProtoMessage.ReadFixedLength(ref reader, WireLimits.IdentityKeyLength, EnvelopeFailure.InvalidIdentityKeyLength, out IdentityKey),
            Schema.BaseKeyFieldNumber => ProtoMessage.ReadFixedLength(ref reader, WireLimits.BaseKeyLength, EnvelopeFailure.InvalidBaseKeyLength, out BaseKey),
            Schema.SignedPrekeyIdFieldNumber => reader.ReadUInt32(out SignedPreKeyId),

            // Any nonzero uint32 is a valid id; zero is never written, so a missing signed or
            // KEM id is caught as a skipped required field.
            Schema.OneTimePrekeyIdFieldNumber => reader.ReadUInt32(out OneTimePreKeyId),
            Schema.KemPrekeyIdFieldNumber => reader.ReadUInt32(out KemPreKeyId),
            Schema.KemCiphertextFieldNumber => ProtoMessage.ReadFixedLength(ref reader, WireLimits.KemCiphertextLength, EnvelopeFailure.InvalidKemCiphertextLength, out KemCiphertext),
            _ => ReadRatchetMessage(ref reader, buffer, out Message),
        };

        public readonly PreKeyMessageView ToView() => new(IdentityKey, BaseKey, SignedPreKeyId, OneTimePreKeyId, KemPreKeyId, KemCiphertext, Message);

        private static EnvelopeFailure ReadRatchetMessage(ref ProtoReader reader, ReadOnlySpan<byte> envelope, out RatchetMessageView message)
        {
            message = default;
            EnvelopeFailure failure = reader.ReadMessage(out int start, out int end);
            if (failure != EnvelopeFailure.None)
            {
                return failure;
            }

            return WireRatchetMessage.Read(envelope, start, end, out message);
        }
    }
}
