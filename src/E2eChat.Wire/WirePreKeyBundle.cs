using Schema = E2eChat.Wire.FieldNumbers.PreKeyBundle;

namespace E2eChat.Wire;

/// <summary>
/// The codec of a <c>PreKeyBundle</c> (<c>wire.proto</c>), published to and fetched from the key
/// directory: the canonical encoding of PROTOCOL.md section 8 both ways. Every field is optional at
/// this layer; what a bundle must contain (valid keys, nonzero ids, verifying signatures) is checked
/// by the client in the order of PROTOCOL.md section 3.4, which reports each step's own failure.
/// </summary>
internal static class WirePreKeyBundle
{
    private const uint LengthDelimitedFields =
        (1u << Schema.IdentityKeyFieldNumber) | (1u << Schema.SignedPrekeyFieldNumber) | (1u << Schema.SignedPrekeySignatureFieldNumber)
        | (1u << Schema.OneTimePrekeyFieldNumber) | (1u << Schema.KemPrekeyFieldNumber) | (1u << Schema.KemPrekeySignatureFieldNumber);

    // Fields 1 to 10, none required here.
    private static readonly EnvelopeFailure[] s_required = new EnvelopeFailure[Schema.KemPrekeySignatureFieldNumber + 1];

    /// <summary>Reads a bundle's canonical encoding; never throws.</summary>
    /// <param name="bundle">The encoded bundle.</param>
    /// <param name="view">On success, its fields (ranges into <paramref name="bundle"/>).</param>
    /// <param name="failure">On failure, the first encoding rule broken; otherwise <see cref="EnvelopeFailure.None"/>.</param>
    /// <returns><see langword="true"/> when the encoding is canonical.</returns>
    internal static bool TryRead(ReadOnlySpan<byte> bundle, out PreKeyBundleView view, out EnvelopeFailure failure)
    {
        failure = Read(bundle, out view);
        return failure == EnvelopeFailure.None;
    }

    /// <summary>Writes the canonical encoding of a bundle (zero ids and empty keys are left out).</summary>
    /// <param name="identityKey">The 128-byte public identity.</param>
    /// <param name="signedPreKeyId">The signed pre-key id.</param>
    /// <param name="signedPreKey">The signed pre-key.</param>
    /// <param name="signedPreKeySignature">Its signature.</param>
    /// <param name="oneTimePreKeyId">The one-time pre-key id, 0 for none.</param>
    /// <param name="oneTimePreKey">The one-time pre-key, empty for none.</param>
    /// <param name="kemPreKeyId">The KEM pre-key id.</param>
    /// <param name="kemPreKeyLastResort">Whether the KEM pre-key is the last-resort key.</param>
    /// <param name="kemPreKey">The KEM pre-key.</param>
    /// <param name="kemPreKeySignature">Its signature.</param>
    /// <returns>The encoded bundle.</returns>
    internal static byte[] Write(
        ReadOnlySpan<byte> identityKey,
        uint signedPreKeyId,
        ReadOnlySpan<byte> signedPreKey,
        ReadOnlySpan<byte> signedPreKeySignature,
        uint oneTimePreKeyId,
        ReadOnlySpan<byte> oneTimePreKey,
        uint kemPreKeyId,
        bool kemPreKeyLastResort,
        ReadOnlySpan<byte> kemPreKey,
        ReadOnlySpan<byte> kemPreKeySignature)
    {
        ulong lastResort = kemPreKeyLastResort ? 1UL : 0UL;
        int length = checked(
            OptionalBytesLength(Schema.IdentityKeyFieldNumber, identityKey)
            + ProtoWriter.VarintFieldLength(Schema.SignedPrekeyIdFieldNumber, signedPreKeyId)
            + OptionalBytesLength(Schema.SignedPrekeyFieldNumber, signedPreKey)
            + OptionalBytesLength(Schema.SignedPrekeySignatureFieldNumber, signedPreKeySignature)
            + ProtoWriter.VarintFieldLength(Schema.OneTimePrekeyIdFieldNumber, oneTimePreKeyId)
            + OptionalBytesLength(Schema.OneTimePrekeyFieldNumber, oneTimePreKey)
            + ProtoWriter.VarintFieldLength(Schema.KemPrekeyIdFieldNumber, kemPreKeyId)
            + ProtoWriter.VarintFieldLength(Schema.KemPrekeyLastResortFieldNumber, lastResort)
            + OptionalBytesLength(Schema.KemPrekeyFieldNumber, kemPreKey)
            + OptionalBytesLength(Schema.KemPrekeySignatureFieldNumber, kemPreKeySignature));
        byte[] encoded = new byte[length];
        var writer = new ProtoWriter(encoded);
        WriteOptionalBytes(ref writer, Schema.IdentityKeyFieldNumber, identityKey);
        writer.WriteVarintField(Schema.SignedPrekeyIdFieldNumber, signedPreKeyId);
        WriteOptionalBytes(ref writer, Schema.SignedPrekeyFieldNumber, signedPreKey);
        WriteOptionalBytes(ref writer, Schema.SignedPrekeySignatureFieldNumber, signedPreKeySignature);
        writer.WriteVarintField(Schema.OneTimePrekeyIdFieldNumber, oneTimePreKeyId);
        WriteOptionalBytes(ref writer, Schema.OneTimePrekeyFieldNumber, oneTimePreKey);
        writer.WriteVarintField(Schema.KemPrekeyIdFieldNumber, kemPreKeyId);
        writer.WriteVarintField(Schema.KemPrekeyLastResortFieldNumber, lastResort);
        WriteOptionalBytes(ref writer, Schema.KemPrekeyFieldNumber, kemPreKey);
        WriteOptionalBytes(ref writer, Schema.KemPrekeySignatureFieldNumber, kemPreKeySignature);
        return encoded;
    }

    private static int OptionalBytesLength(int field, ReadOnlySpan<byte> value) =>
        value.IsEmpty ? 0 : ProtoWriter.BytesFieldLength(field, value.Length);

    private static void WriteOptionalBytes(ref ProtoWriter writer, int field, ReadOnlySpan<byte> value)
    {
        if (!value.IsEmpty)
        {
            writer.WriteBytesField(field, value);
        }
    }

    private static EnvelopeFailure Read(ReadOnlySpan<byte> bundle, out PreKeyBundleView view)
    {
        view = default;
        Span<Range> ranges = stackalloc Range[Schema.KemPrekeySignatureFieldNumber + 1];
        Span<ulong> numbers = stackalloc ulong[Schema.KemPrekeySignatureFieldNumber + 1];
        var reader = new ProtoReader(bundle, 0, bundle.Length);
        while (!reader.IsAtEnd)
        {
            EnvelopeFailure failure = reader.ReadField(s_required, LengthDelimitedFields, out int field);
            if (failure != EnvelopeFailure.None)
            {
                return failure;
            }

            if ((LengthDelimitedFields & (1u << field)) != 0)
            {
                failure = reader.ReadBytes(out int start, out int length);
                ranges[field] = new Range(start, start + length);
            }
            else if (field == Schema.KemPrekeyLastResortFieldNumber)
            {
                failure = reader.ReadUInt64(out numbers[field]);
                if (failure == EnvelopeFailure.None && numbers[field] != 1)
                {
                    failure = EnvelopeFailure.MalformedVarint;
                }
            }
            else
            {
                failure = reader.ReadUInt32(out uint id);
                numbers[field] = id;
            }

            if (failure != EnvelopeFailure.None)
            {
                return failure;
            }
        }

        view = new PreKeyBundleView(
            ranges[Schema.IdentityKeyFieldNumber],
            (uint)numbers[Schema.SignedPrekeyIdFieldNumber],
            ranges[Schema.SignedPrekeyFieldNumber],
            ranges[Schema.SignedPrekeySignatureFieldNumber],
            (uint)numbers[Schema.OneTimePrekeyIdFieldNumber],
            ranges[Schema.OneTimePrekeyFieldNumber],
            (uint)numbers[Schema.KemPrekeyIdFieldNumber],
            numbers[Schema.KemPrekeyLastResortFieldNumber] == 1,
            ranges[Schema.KemPrekeyFieldNumber],
            ranges[Schema.KemPrekeySignatureFieldNumber]);
        return EnvelopeFailure.None;
    }
}
