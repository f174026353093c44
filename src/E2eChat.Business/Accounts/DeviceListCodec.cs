using E2eChat.Wire;
using EntrySchema = E2eChat.Wire.FieldNumbers.DeviceEntry;
using ListSchema = E2eChat.Wire.FieldNumbers.DeviceList;
using SignedSchema = E2eChat.Wire.FieldNumbers.SignedDeviceList;

namespace E2eChat;

/// <summary>
/// The canonical reader and writer of <c>DeviceList</c> and <c>SignedDeviceList</c> (PROTOCOL.md
/// section 14.1): structure and field rules only; signatures and identities are checked by
/// <see cref="SignedDeviceList.TryRead"/>.
/// </summary>
internal static class DeviceListCodec
{
    private const uint ListRepeated = 1u << ListSchema.DevicesFieldNumber;
    private const uint EntryLengthDelimited =
        (1u << EntrySchema.IdentityFieldNumber) | (1u << EntrySchema.LabelFieldNumber) | (1u << EntrySchema.ProcessorFieldNumber);

    private static ReadOnlySpan<byte> ListRequired =>
    [
        0,
        (byte)E2eChatFailure.InvalidAccount,
        (byte)E2eChatFailure.InvalidAccountKind,
        (byte)E2eChatFailure.MissingVersion,
        (byte)E2eChatFailure.MissingIssuedAt,
        (byte)E2eChatFailure.NoDevices,
    ];

    private static ReadOnlySpan<byte> EntryRequired =>
    [
        0,
        (byte)E2eChatFailure.InvalidDeviceId,
        (byte)E2eChatFailure.InvalidIdentityKey,
        (byte)E2eChatFailure.InvalidLabel,
        (byte)E2eChatFailure.InvalidRole,
        0,
    ];

    private static ReadOnlySpan<byte> SignedRequired =>
    [
        0,
        (byte)E2eChatFailure.InvalidAccountKey,
        (byte)E2eChatFailure.MissingList,
        (byte)E2eChatFailure.InvalidSignatureLength,
    ];

    /// <summary>Encodes a <c>DeviceList</c>.</summary>
    internal static byte[] WriteList(DeviceList list)
    {
        var writer = new RecordWriter()
            .String(ListSchema.AccountFieldNumber, list.Account)
            .Varint(ListSchema.KindFieldNumber, (ulong)list.Kind)
            .Varint(ListSchema.VersionFieldNumber, list.Version)
            .Varint(ListSchema.IssuedAtMsFieldNumber, list.IssuedAtMs);
        foreach (DeviceEntry entry in list.Devices)
        {
            byte[] encoded = new RecordWriter()
                .Varint(EntrySchema.DeviceFieldNumber, entry.Device)
                .Bytes(EntrySchema.IdentityFieldNumber, entry.Identity.AsSpan())
                .String(EntrySchema.LabelFieldNumber, entry.Label)
                .Varint(EntrySchema.RoleFieldNumber, (ulong)entry.Role)
                .String(EntrySchema.ProcessorFieldNumber, entry.Processor)
                .ToArray();
            writer.Message(ListSchema.DevicesFieldNumber, encoded);
        }

        return writer.ToArray();
    }

    /// <summary>Encodes a <c>SignedDeviceList</c>.</summary>
    internal static byte[] WriteSigned(ReadOnlySpan<byte> accountKey, ReadOnlySpan<byte> list, ReadOnlySpan<byte> signature) =>
        new RecordWriter()
            .Bytes(SignedSchema.AccountKeyFieldNumber, accountKey)
            .Bytes(SignedSchema.ListFieldNumber, list)
            .Bytes(SignedSchema.SignatureFieldNumber, signature)
            .ToArray();

    /// <summary>Reads the fields of a <c>SignedDeviceList</c> (section 14.1 steps 1-2).</summary>
    internal static E2eChatFailure ReadSigned(ReadOnlySpan<byte> bytes, out ReadOnlySpan<byte> accountKey, out ReadOnlySpan<byte> list, out ReadOnlySpan<byte> signature)
    {
        Span<Range> values = stackalloc Range[SignedRequired.Length];
        E2eChatFailure failure = RecordReader.ReadBytesFields(bytes, ProtocolLimits.MaxSignedDeviceListLength, SignedRequired, [0, AccountKey.Length, 0, Crypto.Ed25519.SignatureLength], values);
        accountKey = bytes[values[SignedSchema.AccountKeyFieldNumber]];
        list = bytes[values[SignedSchema.ListFieldNumber]];
        signature = bytes[values[SignedSchema.SignatureFieldNumber]];
        return failure;
    }

    /// <summary>Reads a <c>DeviceList</c> (section 14.1 step 4); identities are checked for length only.</summary>
    internal static E2eChatFailure ReadList(ReadOnlySpan<byte> bytes, out DeviceList? list)
    {
        list = null;
        string account = string.Empty;
        AccountKind kind = AccountKind.Unspecified;
        ulong version = 0;
        ulong issuedAt = 0;
        var devices = new List<DeviceEntry>();
        var reader = new RecordReader(bytes);
        while (!reader.IsAtEnd)
        {
            bool again = reader.LastField == ListSchema.DevicesFieldNumber;
            byte code = reader.ReadField(ListRequired, RecordFieldMasks.DeviceListLengthDelimited, ListRepeated, out int field);
            if (code != 0)
            {
                return (E2eChatFailure)code;
            }

            E2eChatFailure failure = field switch
            {
                ListSchema.AccountFieldNumber => ReadAccount(ref reader, out account),
                ListSchema.KindFieldNumber => ReadKind(ref reader, out kind),
                ListSchema.VersionFieldNumber => reader.ReadUInt64(out version),
                ListSchema.IssuedAtMsFieldNumber => reader.ReadUInt64(out issuedAt),
                _ => again && devices.Count >= DeviceList.MaxDevices ? E2eChatFailure.TooManyDevices : ReadEntry(ref reader, devices),
            };
            if (failure != E2eChatFailure.None)
            {
                return failure;
            }
        }

        E2eChatFailure end = (E2eChatFailure)reader.CheckEnd(ListRequired);
        if (end != E2eChatFailure.None)
        {
            return end;
        }

        list = new DeviceList(account, kind, version, issuedAt, devices);
        return E2eChatFailure.None;
    }

    private static E2eChatFailure ReadAccount(ref RecordReader reader, out string account)
    {
        account = string.Empty;
        E2eChatFailure error = reader.ReadBytes(out ReadOnlySpan<byte> value);
        if (error != E2eChatFailure.None)
        {
            return error;
        }

        if (!WireAddress.IsValidName(value))
        {
            return E2eChatFailure.InvalidAccount;
        }

        account = RecordText.Decode(value);
        return E2eChatFailure.None;
    }

    private static E2eChatFailure ReadKind(ref RecordReader reader, out AccountKind kind)
    {
        kind = AccountKind.Unspecified;
        E2eChatFailure error = reader.ReadUInt64(out ulong value);
        if (error != E2eChatFailure.None)
        {
            return error;
        }

        if (value is not ((ulong)AccountKind.Person or (ulong)AccountKind.Business))
        {
            return E2eChatFailure.InvalidAccountKind;
        }

        kind = (AccountKind)value;
        return E2eChatFailure.None;
    }

    private static E2eChatFailure ReadEntry(ref RecordReader outer, List<DeviceEntry> devices)
    {
        E2eChatFailure error = outer.ReadMessage(out ReadOnlySpan<byte> bytes);
        if (error != E2eChatFailure.None)
        {
            return error;
        }

        uint device = 0;
        byte[]? identity = null;
        string? label = null;
        ulong role = 0;
        string? processor = null;
        var reader = new RecordReader(bytes);
        while (!reader.IsAtEnd)
        {
            byte code = reader.ReadField(EntryRequired, EntryLengthDelimited, 0, out int field);
            if (code != 0)
            {
                return (E2eChatFailure)code;
            }

            E2eChatFailure failure = E2eChatFailure.None;
            switch (field)
            {
                case EntrySchema.DeviceFieldNumber:
                    failure = reader.ReadUInt32(out device);
                    if (failure == E2eChatFailure.None && device > ProtocolAddress.MaxDeviceId)
                    {
                        failure = E2eChatFailure.InvalidDeviceId;
                    }

                    break;
                case EntrySchema.IdentityFieldNumber:
                    failure = ReadText(ref reader, IdentityKey.Length, E2eChatFailure.InvalidIdentityKey, out _, out identity);
                    break;
                case EntrySchema.LabelFieldNumber:
                    failure = ReadText(ref reader, DeviceEntry.MaxLabelLength, E2eChatFailure.InvalidLabel, out label, out _);
                    break;
                case EntrySchema.RoleFieldNumber:
                    failure = reader.ReadUInt64(out role);
                    if (failure == E2eChatFailure.None && role is not ((ulong)DeviceRole.Agent or (ulong)DeviceRole.Automation or (ulong)DeviceRole.Hosted))
                    {
                        failure = E2eChatFailure.InvalidRole;
                    }

                    break;
                default:
                    failure = ReadText(ref reader, DeviceEntry.MaxLabelLength, E2eChatFailure.InvalidProcessor, out processor, out _);
                    break;
            }

            if (failure != E2eChatFailure.None)
            {
                return failure;
            }
        }

        E2eChatFailure end = (E2eChatFailure)reader.CheckEnd(EntryRequired);
        if (end != E2eChatFailure.None)
        {
            return end;
        }

        if (role == (ulong)DeviceRole.Hosted && processor is null)
        {
            return E2eChatFailure.MissingProcessor;
        }

        if (role != (ulong)DeviceRole.Hosted && processor is not null)
        {
            return E2eChatFailure.UnexpectedProcessor;
        }

        if (devices.Count > 0 && device <= devices[^1].Device)
        {
            return device == devices[^1].Device ? E2eChatFailure.DuplicateDevice : E2eChatFailure.DevicesOutOfOrder;
        }

        devices.Add(new DeviceEntry(device, IdentityKey.FromState(identity!), label!, (DeviceRole)role, processor));
        return E2eChatFailure.None;
    }

    /// <summary>
    /// Reads a bytes field: an identity (exactly <paramref name="max"/> bytes, <paramref name="raw"/>)
    /// when <paramref name="max"/> is the identity length, else UTF-8 text of 1..max bytes.
    /// </summary>
    private static E2eChatFailure ReadText(ref RecordReader reader, int max, E2eChatFailure invalid, out string? text, out byte[]? raw)
    {
        text = null;
        raw = null;
        E2eChatFailure error = reader.ReadBytes(out ReadOnlySpan<byte> value);
        if (error != E2eChatFailure.None)
        {
            return error;
        }

        if (invalid == E2eChatFailure.InvalidIdentityKey)
        {
            if (value.Length != max)
            {
                return invalid;
            }

            raw = value.ToArray();
            return E2eChatFailure.None;
        }

        if (!RecordText.IsValid(value, max))
        {
            return invalid;
        }

        text = RecordText.Decode(value);
        return E2eChatFailure.None;
    }
}
