using RecordSchema = E2eChat.Wire.FieldNumbers.ConsentRecord;
using SignedSchema = E2eChat.Wire.FieldNumbers.SignedConsentRecord;

namespace E2eChat.Wire;

/// <summary>
/// The codec of <c>SignedConsentRecord</c> and its inner <c>ConsentRecord</c> (PROTOCOL.md section
/// 16.2): reads the canonical encoding with the rules of section 8, reporting the first rule broken as
/// a <see cref="ConsentFailure"/>, and writes it. Keyless: the signature is verified by the caller's
/// Ed25519 over <see cref="SignedBytes"/> (a relay with public keys only, a device with its crypto).
/// </summary>
public static class WireConsentRecord
{
    /// <summary>
    /// The longest signed record read, in bytes: the largest valid one (two 64-byte names, a 32-byte
    /// key, a 64-byte signature, four varints) is under 300 bytes, so 512 leaves room and bounds work.
    /// </summary>
    public const int MaxLength = 512;

    /// <summary>The length of an account key (an Ed25519 public key).</summary>
    public const int AccountKeyLength = 32;

    /// <summary>The length of an Ed25519 signature.</summary>
    public const int SignatureLength = WireLimits.SignatureLength;

    private const uint SignedLengthDelimited = (1u << SignedSchema.AccountKeyFieldNumber) | (1u << SignedSchema.RecordFieldNumber) | (1u << SignedSchema.SignatureFieldNumber);
    private const uint RecordLengthDelimited = (1u << RecordSchema.CustomerFieldNumber) | (1u << RecordSchema.BusinessFieldNumber);

    // Field numbers 1..3 and 1..7 are declared; every field's missing rule is checked here, not by the reader.
    private static readonly EnvelopeFailure[] s_signedFields = new EnvelopeFailure[SignedSchema.SignatureFieldNumber + 1];
    private static readonly EnvelopeFailure[] s_recordFields = new EnvelopeFailure[RecordSchema.ExpiresAtMsFieldNumber + 1];

    /// <summary>The signature domain label, <c>E2eChat/v1/consent</c>.</summary>
    public static ReadOnlySpan<byte> Label => "E2eChat/v1/consent"u8;

    /// <summary>Reads a signed consent record (section 16.2 steps 1 to 3; the signature is the caller's step 4).</summary>
    /// <param name="signedRecord">The bytes as received; any bytes, of any length.</param>
    /// <param name="view">On success, the record (ranges into <paramref name="signedRecord"/>); otherwise <see langword="default"/>.</param>
    /// <param name="failure">On failure, the first rule broken; otherwise <see cref="ConsentFailure.None"/>.</param>
    /// <returns><see langword="true"/> when the record is structurally valid.</returns>
    public static bool TryRead(ReadOnlySpan<byte> signedRecord, out SignedConsentRecordView view, out ConsentFailure failure)
    {
        failure = ReadSigned(signedRecord, out view);
        return failure == ConsentFailure.None;
    }

    /// <summary>
    /// The bytes a signature covers: <c>"E2eChat/v1/consent" || 0x00 || record</c>, where
    /// <paramref name="record"/> is the exact encoded <c>ConsentRecord</c>.
    /// </summary>
    /// <param name="record">The encoded record.</param>
    /// <returns>The signed message.</returns>
    public static byte[] SignedBytes(ReadOnlySpan<byte> record)
    {
        byte[] message = new byte[Label.Length + 1 + record.Length];
        Label.CopyTo(message);
        record.CopyTo(message.AsSpan(Label.Length + 1));
        return message;
    }

    /// <summary>Writes the canonical encoding of a <c>ConsentRecord</c>.</summary>
    /// <param name="record">The record (valid by construction).</param>
    /// <returns>Its bytes: the bytes to sign and to put in <c>SignedConsentRecord.record</c>.</returns>
    public static byte[] WriteRecord(ConsentRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        int customer = System.Text.Encoding.ASCII.GetByteCount(record.Customer);
        int business = System.Text.Encoding.ASCII.GetByteCount(record.Business);
        int length = checked(
            ProtoWriter.BytesFieldLength(RecordSchema.CustomerFieldNumber, customer)
            + ProtoWriter.BytesFieldLength(RecordSchema.BusinessFieldNumber, business)
            + ProtoWriter.VarintFieldLength(RecordSchema.ActionFieldNumber, (ulong)record.Action)
            + ProtoWriter.VarintFieldLength(RecordSchema.ScopesFieldNumber, (ulong)record.Scopes)
            + ProtoWriter.VarintFieldLength(RecordSchema.SerialFieldNumber, record.Serial)
            + ProtoWriter.VarintFieldLength(RecordSchema.IssuedAtMsFieldNumber, record.IssuedAtMilliseconds)
            + ProtoWriter.VarintFieldLength(RecordSchema.ExpiresAtMsFieldNumber, record.ExpiresAtMilliseconds));
        byte[] encoded = new byte[length];
        var writer = new ProtoWriter(encoded);
        System.Text.Encoding.ASCII.GetBytes(record.Customer, writer.ReserveBytesField(RecordSchema.CustomerFieldNumber, customer));
        System.Text.Encoding.ASCII.GetBytes(record.Business, writer.ReserveBytesField(RecordSchema.BusinessFieldNumber, business));
        writer.WriteVarintField(RecordSchema.ActionFieldNumber, (ulong)record.Action);
        writer.WriteVarintField(RecordSchema.ScopesFieldNumber, (ulong)record.Scopes);
        writer.WriteVarintField(RecordSchema.SerialFieldNumber, record.Serial);
        writer.WriteVarintField(RecordSchema.IssuedAtMsFieldNumber, record.IssuedAtMilliseconds);
        writer.WriteVarintField(RecordSchema.ExpiresAtMsFieldNumber, record.ExpiresAtMilliseconds);
        return encoded;
    }

    /// <summary>Writes the canonical encoding of a <c>SignedConsentRecord</c>. It does not validate: read it back to check.</summary>
    /// <param name="accountKey">The customer's account key (32 bytes for a valid record).</param>
    /// <param name="record">The encoded record (from <see cref="WriteRecord"/>).</param>
    /// <param name="signature">The signature over <see cref="SignedBytes"/> of <paramref name="record"/>.</param>
    /// <returns>The encoded signed record.</returns>
    public static byte[] WriteSigned(ReadOnlySpan<byte> accountKey, ReadOnlySpan<byte> record, ReadOnlySpan<byte> signature)
    {
        int length = checked(
            (accountKey.IsEmpty ? 0 : ProtoWriter.BytesFieldLength(SignedSchema.AccountKeyFieldNumber, accountKey.Length))
            + (record.IsEmpty ? 0 : ProtoWriter.BytesFieldLength(SignedSchema.RecordFieldNumber, record.Length))
            + (signature.IsEmpty ? 0 : ProtoWriter.BytesFieldLength(SignedSchema.SignatureFieldNumber, signature.Length)));
        byte[] encoded = new byte[length];
        var writer = new ProtoWriter(encoded);
        if (!accountKey.IsEmpty)
        {
            writer.WriteBytesField(SignedSchema.AccountKeyFieldNumber, accountKey);
        }

        if (!record.IsEmpty)
        {
            writer.WriteBytesField(SignedSchema.RecordFieldNumber, record);
        }

        if (!signature.IsEmpty)
        {
            writer.WriteBytesField(SignedSchema.SignatureFieldNumber, signature);
        }

        return encoded;
    }

    private static ConsentFailure ReadSigned(ReadOnlySpan<byte> signedRecord, out SignedConsentRecordView view)
    {
        view = default;
        if (signedRecord.Length > MaxLength)
        {
            return ConsentFailure.TooLarge;
        }

        var reader = new ProtoReader(signedRecord, 0, signedRecord.Length);
        Range accountKey = default;
        Range recordRange = default;
        Range signature = default;
        RecordValues values = default;
        int last = 0;
        while (!reader.IsAtEnd)
        {
            ConsentFailure failure = Map(reader.ReadField(s_signedFields, SignedLengthDelimited, out int field));
            if (failure == ConsentFailure.None)
            {
                failure = MissingSigned(last, field);
            }

            if (failure != ConsentFailure.None)
            {
                return failure;
            }

            last = field;
            failure = Map(reader.ReadBytes(out int start, out int length));
            if (failure != ConsentFailure.None)
            {
                return failure;
            }

            var range = new Range(start, start + length);
            switch (field)
            {
                case SignedSchema.AccountKeyFieldNumber:
                    if (length != AccountKeyLength)
                    {
                        return ConsentFailure.InvalidAccountKey;
                    }

                    accountKey = range;
                    break;

                case SignedSchema.RecordFieldNumber:
                    failure = ReadRecord(signedRecord, start, start + length, out values);
                    if (failure != ConsentFailure.None)
                    {
                        return failure;
                    }

                    recordRange = range;
                    break;

                default:
                    if (length != SignatureLength)
                    {
                        return ConsentFailure.InvalidSignatureLength;
                    }

                    signature = range;
                    break;
            }
        }

        ConsentFailure missing = MissingSigned(last, SignedSchema.SignatureFieldNumber + 1);
        if (missing != ConsentFailure.None)
        {
            return missing;
        }

        view = new SignedConsentRecordView(accountKey, recordRange, signature, values.Customer, values.Business, values.Action, values.Scopes, values.Serial, values.IssuedAt, values.ExpiresAt);
        return ConsentFailure.None;
    }

    private static ConsentFailure MissingSigned(int last, int next) =>
        last < SignedSchema.AccountKeyFieldNumber && next > SignedSchema.AccountKeyFieldNumber ? ConsentFailure.InvalidAccountKey
        : last < SignedSchema.RecordFieldNumber && next > SignedSchema.RecordFieldNumber ? ConsentFailure.MissingRecord
        : last < SignedSchema.SignatureFieldNumber && next > SignedSchema.SignatureFieldNumber ? ConsentFailure.InvalidSignatureLength
        : ConsentFailure.None;

    private static ConsentFailure ReadRecord(ReadOnlySpan<byte> bytes, int start, int end, out RecordValues values)
    {
        values = default;
        var reader = new ProtoReader(bytes, start, end);
        int last = 0;
        while (!reader.IsAtEnd)
        {
            ConsentFailure failure = Map(reader.ReadField(s_recordFields, RecordLengthDelimited, out int field));
            if (failure == ConsentFailure.None)
            {
                failure = MissingInRecord(last, field, values.Action);
            }

            if (failure != ConsentFailure.None)
            {
                return failure;
            }

            last = field;
            failure = field <= RecordSchema.BusinessFieldNumber ? ReadName(ref reader, bytes, field, ref values) : ReadNumber(ref reader, field, ref values);
            if (failure != ConsentFailure.None)
            {
                return failure;
            }
        }

        return MissingInRecord(last, RecordSchema.ExpiresAtMsFieldNumber + 1, values.Action);
    }

    private static ConsentFailure ReadName(ref ProtoReader reader, ReadOnlySpan<byte> bytes, int field, ref RecordValues values)
    {
        ConsentFailure failure = Map(reader.ReadBytes(out int start, out int length));
        if (failure != ConsentFailure.None)
        {
            return failure;
        }

        ReadOnlySpan<byte> name = bytes.Slice(start, length);
        if (field == RecordSchema.CustomerFieldNumber)
        {
            if (!WireAddress.IsValidName(name))
            {
                return ConsentFailure.InvalidCustomer;
            }

            values.Customer = new Range(start, start + length);
            return ConsentFailure.None;
        }

        if (!WireAddress.IsValidName(name) || name.SequenceEqual(bytes[values.Customer]))
        {
            return ConsentFailure.InvalidBusiness;
        }

        values.Business = new Range(start, start + length);
        return ConsentFailure.None;
    }

    private static ConsentFailure ReadNumber(ref ProtoReader reader, int field, ref RecordValues values)
    {
        if (field == RecordSchema.ScopesFieldNumber)
        {
            ConsentFailure scopesFailure = Map(reader.ReadUInt32(out uint scopes));
            if (scopesFailure != ConsentFailure.None)
            {
                return scopesFailure;
            }

            if ((scopes & ~(uint)ConsentScopes.All) != 0)
            {
                return ConsentFailure.InvalidScopes;
            }

            if (values.Action != ConsentAction.Grant)
            {
                return ConsentFailure.UnexpectedScopes;
            }

            values.Scopes = (ConsentScopes)scopes;
            return ConsentFailure.None;
        }

        ConsentFailure failure = Map(reader.ReadUInt64(out ulong value));
        if (failure != ConsentFailure.None)
        {
            return failure;
        }

        switch (field)
        {
            case RecordSchema.ActionFieldNumber:
                if (value is < (ulong)ConsentAction.Grant or > (ulong)ConsentAction.Unblock)
                {
                    return ConsentFailure.InvalidAction;
                }

                values.Action = (ConsentAction)(int)value;
                break;
            case RecordSchema.SerialFieldNumber:
                values.Serial = value;
                break;
            case RecordSchema.IssuedAtMsFieldNumber:
                values.IssuedAt = value;
                break;
            default:
                if (values.Action != ConsentAction.Grant)
                {
                    return ConsentFailure.UnexpectedExpiry;
                }

                if (value <= values.IssuedAt)
                {
                    return ConsentFailure.InvalidExpiry;
                }

                values.ExpiresAt = value;
                break;
        }

        return ConsentFailure.None;
    }

    // The "missing" failure of the lowest required field strictly between the last field read and
    // the next one; scopes is required only for a GRANT (the action, field 3, is read before).
    private static ConsentFailure MissingInRecord(int last, int next, ConsentAction action)
    {
        for (int n = last + 1; n < next; n++)
        {
            ConsentFailure missing = n switch
            {
                RecordSchema.CustomerFieldNumber => ConsentFailure.InvalidCustomer,
                RecordSchema.BusinessFieldNumber => ConsentFailure.InvalidBusiness,
                RecordSchema.ActionFieldNumber => ConsentFailure.InvalidAction,
                RecordSchema.ScopesFieldNumber when action == ConsentAction.Grant => ConsentFailure.MissingScopes,
                RecordSchema.SerialFieldNumber => ConsentFailure.MissingSerial,
                RecordSchema.IssuedAtMsFieldNumber => ConsentFailure.MissingIssuedAt,
                _ => ConsentFailure.None,
            };
            if (missing != ConsentFailure.None)
            {
                return missing;
            }
        }

        return ConsentFailure.None;
    }

    private static ConsentFailure Map(EnvelopeFailure failure) => failure switch
    {
        EnvelopeFailure.None => ConsentFailure.None,
        EnvelopeFailure.Truncated => ConsentFailure.Truncated,
        EnvelopeFailure.MalformedVarint => ConsentFailure.MalformedVarint,
        EnvelopeFailure.WrongWireType => ConsentFailure.WrongWireType,
        EnvelopeFailure.UnknownField => ConsentFailure.UnknownField,
        EnvelopeFailure.DuplicateField => ConsentFailure.DuplicateField,
        EnvelopeFailure.FieldsOutOfOrder => ConsentFailure.FieldsOutOfOrder,
        EnvelopeFailure.DefaultValueWritten => ConsentFailure.DefaultValueWritten,
        _ => throw new InvalidOperationException($"The reader reported {failure}, which is not an encoding failure."),
    };

    private struct RecordValues
    {
        public Range Customer;
        public Range Business;
        public ConsentAction Action;
        public ConsentScopes Scopes;
        public ulong Serial;
        public ulong IssuedAt;
        public ulong ExpiresAt;
    }
}
