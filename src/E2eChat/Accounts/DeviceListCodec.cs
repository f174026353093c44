using E2eChat.Keys;
using E2eChat.Wire;

namespace E2eChat.Accounts;

/// <summary>
/// The canonical reader and writer of <c>DeviceList</c> and <c>SignedDeviceList</c> (PROTOCOL.md
/// section 14.1): structure and field rules only; signatures and identities are checked by
/// <see cref="SignedDeviceList.TryRead"/>.
/// </summary>
internal static class DeviceListCodec
{
    private const uint AccountField = 1;
    private const uint DevicesField = 5;
    private const uint IdentityField = 2;
    private const uint LabelField = 3;
    private const uint ProcessorField = 5;

    private static ReadOnlySpan<byte> ListRequired =>
    [
        0,
        (byte)DeviceListFailure.InvalidAccount,
        (byte)DeviceListFailure.InvalidAccountKind,
        (byte)DeviceListFailure.MissingVersion,
        (byte)DeviceListFailure.MissingIssuedAt,
        (byte)DeviceListFailure.NoDevices,
    ];

    private static ReadOnlySpan<byte> EntryRequired =>
    [
        0,
        (byte)DeviceListFailure.InvalidDeviceId,
        (byte)DeviceListFailure.InvalidIdentityKey,
        (byte)DeviceListFailure.InvalidLabel,
        (byte)DeviceListFailure.InvalidRole,
        0,
    ];

    private static ReadOnlySpan<byte> SignedRequired =>
    [
        0,
        (byte)DeviceListFailure.InvalidAccountKey,
        (byte)DeviceListFailure.MissingList,
        (byte)DeviceListFailure.InvalidSignatureLength,
    ];

    /// <summary>Encodes a <c>DeviceList</c>.</summary>
    internal static byte[] WriteList(DeviceList list)
    {
        var writer = new RecordWriter()
            .String(1, list.Account)
            .Varint(2, (ulong)list.Kind)
            .Varint(3, list.Version)
            .Varint(4, list.IssuedAtMs);
        foreach (DeviceEntry entry in list.Devices)
        {
            byte[] encoded = new RecordWriter()
                .Varint(1, entry.Device)
                .Bytes(2, entry.Identity.AsSpan())
                .String(3, entry.Label)
                .Varint(4, (ulong)entry.Role)
                .String(5, entry.Processor)
                .ToArray();
            writer.Message(5, encoded);
        }

        return writer.ToArray();
    }

    /// <summary>Encodes a <c>SignedDeviceList</c>.</summary>
    internal static byte[] WriteSigned(ReadOnlySpan<byte> accountKey, ReadOnlySpan<byte> list, ReadOnlySpan<byte> signature) =>
        new RecordWriter().Bytes(1, accountKey).Bytes(2, list).Bytes(3, signature).ToArray();

    /// <summary>Reads the fields of a <c>SignedDeviceList</c> (section 14.1 steps 1-2).</summary>
    internal static DeviceListFailure ReadSigned(ReadOnlySpan<byte> bytes, out ReadOnlySpan<byte> accountKey, out ReadOnlySpan<byte> list, out ReadOnlySpan<byte> signature)
    {
        accountKey = default;
        list = default;
        signature = default;
        if (bytes.Length > ProtocolLimits.MaxSignedDeviceListLength)
        {
            return DeviceListFailure.TooLarge;
        }

        var reader = new RecordReader(bytes);
        while (!reader.IsAtEnd)
        {
            byte code = reader.ReadField(SignedRequired, 0b1110, 0, out int field);
            if (code != 0)
            {
                return (DeviceListFailure)code;
            }

            WireError error = reader.ReadBytes(out ReadOnlySpan<byte> value);
            if (error != WireError.None)
            {
                return (DeviceListFailure)error;
            }

            switch (field)
            {
                case 1 when value.Length != AccountKey.Length:
                    return DeviceListFailure.InvalidAccountKey;
                case 1:
                    accountKey = value;
                    break;
                case 2:
                    list = value;
                    break;
                default:
                    if (value.Length != Crypto.Ed25519.SignatureLength)
                    {
                        return DeviceListFailure.InvalidSignatureLength;
                    }

                    signature = value;
                    break;
            }
        }

        return (DeviceListFailure)reader.CheckEnd(SignedRequired);
    }

    /// <summary>Reads a <c>DeviceList</c> (section 14.1 step 4); identities are checked for length only.</summary>
    internal static DeviceListFailure ReadList(ReadOnlySpan<byte> bytes, out DeviceList? list)
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
            bool again = reader.LastField == (int)DevicesField;
            byte code = reader.ReadField(ListRequired, (1u << (int)AccountField) | (1u << (int)DevicesField), 1u << (int)DevicesField, out int field);
            if (code != 0)
            {
                return (DeviceListFailure)code;
            }

            DeviceListFailure failure = field switch
            {
                1 => ReadAccount(ref reader, out account),
                2 => ReadKind(ref reader, out kind),
                3 => (DeviceListFailure)reader.ReadUInt64(out version),
                4 => (DeviceListFailure)reader.ReadUInt64(out issuedAt),
                _ => again && devices.Count >= DeviceList.MaxDevices ? DeviceListFailure.TooManyDevices : ReadEntry(ref reader, devices),
            };
            if (failure != DeviceListFailure.None)
            {
                return failure;
            }
        }

        DeviceListFailure end = (DeviceListFailure)reader.CheckEnd(ListRequired);
        if (end != DeviceListFailure.None)
        {
            return end;
        }

        list = new DeviceList(account, kind, version, issuedAt, devices);
        return DeviceListFailure.None;
    }

    private static DeviceListFailure ReadAccount(ref RecordReader reader, out string account)
    {
        account = string.Empty;
        WireError error = reader.ReadBytes(out ReadOnlySpan<byte> value);
        if (error != WireError.None)
        {
            return (DeviceListFailure)error;
        }

        if (!WireAddress.IsValidName(value))
        {
            return DeviceListFailure.InvalidAccount;
        }

        account = RecordText.Decode(value);
        return DeviceListFailure.None;
    }

    private static DeviceListFailure ReadKind(ref RecordReader reader, out AccountKind kind)
    {
        kind = AccountKind.Unspecified;
        WireError error = reader.ReadUInt64(out ulong value);
        if (error != WireError.None)
        {
            return (DeviceListFailure)error;
        }

        if (value is not ((ulong)AccountKind.Person or (ulong)AccountKind.Business))
        {
            return DeviceListFailure.InvalidAccountKind;
        }

        kind = (AccountKind)value;
        return DeviceListFailure.None;
    }

    private static DeviceListFailure ReadEntry(ref RecordReader outer, List<DeviceEntry> devices)
    {
        WireError error = outer.ReadMessage(out ReadOnlySpan<byte> bytes);
        if (error != WireError.None)
        {
            return (DeviceListFailure)error;
        }

        uint device = 0;
        byte[]? identity = null;
        string? label = null;
        ulong role = 0;
        string? processor = null;
        var reader = new RecordReader(bytes);
        while (!reader.IsAtEnd)
        {
            byte code = reader.ReadField(EntryRequired, (1u << (int)IdentityField) | (1u << (int)LabelField) | (1u << (int)ProcessorField), 0, out int field);
            if (code != 0)
            {
                return (DeviceListFailure)code;
            }

            DeviceListFailure failure = DeviceListFailure.None;
            switch (field)
            {
                case 1:
                    failure = (DeviceListFailure)reader.ReadUInt32(out device);
                    if (failure == DeviceListFailure.None && device > ProtocolAddress.MaxDeviceId)
                    {
                        failure = DeviceListFailure.InvalidDeviceId;
                    }

                    break;
                case 2:
                    failure = ReadText(ref reader, IdentityKey.Length, DeviceListFailure.InvalidIdentityKey, out _, out identity);
                    break;
                case 3:
                    failure = ReadText(ref reader, DeviceEntry.MaxLabelLength, DeviceListFailure.InvalidLabel, out label, out _);
                    break;
                case 4:
                    failure = (DeviceListFailure)reader.ReadUInt64(out role);
                    if (failure == DeviceListFailure.None && role is not ((ulong)DeviceRole.Agent or (ulong)DeviceRole.Automation or (ulong)DeviceRole.Hosted))
                    {
                        failure = DeviceListFailure.InvalidRole;
                    }

                    break;
                default:
                    failure = ReadText(ref reader, DeviceEntry.MaxLabelLength, DeviceListFailure.InvalidProcessor, out processor, out _);
                    break;
            }

            if (failure != DeviceListFailure.None)
            {
                return failure;
            }
        }

        DeviceListFailure end = (DeviceListFailure)reader.CheckEnd(EntryRequired);
        if (end != DeviceListFailure.None)
        {
            return end;
        }

        if (role == (ulong)DeviceRole.Hosted && processor is null)
        {
            return DeviceListFailure.MissingProcessor;
        }

        if (role != (ulong)DeviceRole.Hosted && processor is not null)
        {
            return DeviceListFailure.UnexpectedProcessor;
        }

        if (devices.Count > 0 && device <= devices[^1].Device)
        {
            return device == devices[^1].Device ? DeviceListFailure.DuplicateDevice : DeviceListFailure.DevicesOutOfOrder;
        }

        devices.Add(new DeviceEntry(device, IdentityKey.FromState(identity!), label!, (DeviceRole)role, processor));
        return DeviceListFailure.None;
    }

    /// <summary>
    /// Reads a bytes field: an identity (exactly <paramref name="max"/> bytes, <paramref name="raw"/>)
    /// when <paramref name="max"/> is the identity length, else UTF-8 text of 1..max bytes.
    /// </summary>
    private static DeviceListFailure ReadText(ref RecordReader reader, int max, DeviceListFailure invalid, out string? text, out byte[]? raw)
    {
        text = null;
        raw = null;
        WireError error = reader.ReadBytes(out ReadOnlySpan<byte> value);
        if (error != WireError.None)
        {
            return (DeviceListFailure)error;
        }

        if (invalid == DeviceListFailure.InvalidIdentityKey)
        {
            if (value.Length != max)
            {
                return invalid;
            }

            raw = value.ToArray();
            return DeviceListFailure.None;
        }

        if (!RecordText.IsValid(value, max))
        {
            return invalid;
        }

        text = RecordText.Decode(value);
        return DeviceListFailure.None;
    }
}
