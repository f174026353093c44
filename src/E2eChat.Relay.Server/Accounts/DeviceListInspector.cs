using System.Text;
using ListSchema = E2eChat.Wire.FieldNumbers.DeviceList;
using SignedSchema = E2eChat.Wire.FieldNumbers.SignedDeviceList;

namespace E2eChat.Relay.Server.Accounts;

/// <summary>
/// The relay's reading of a <c>SignedDeviceList</c> (PROTOCOL.md 14.6): the canonical encoding of
/// the signed message and of the list's fields 1-4 (section 8 rules), the signature under the
/// list's own account key, and 1-64 entries of field 5 (their contents are the clients' to check,
/// section 14.1). Keyless and allocation-light, like the envelope validator.
/// </summary>
internal static class DeviceListInspector
{
    private const EnvelopeFailure Missing = EnvelopeFailure.MissingVersion;
    private const uint SignedLengthDelimited =
        (1u << SignedSchema.AccountKeyFieldNumber) | (1u << SignedSchema.ListFieldNumber) | (1u << SignedSchema.SignatureFieldNumber);

    /// <summary>The signature domain (PROTOCOL.md 14).</summary>
    private static ReadOnlySpan<byte> Label => "E2eChat/v1/device-list"u8;

    private static ReadOnlySpan<EnvelopeFailure> SignedRequired => [EnvelopeFailure.None, Missing, Missing, Missing];

    private static ReadOnlySpan<EnvelopeFailure> ListRequired => [EnvelopeFailure.None, Missing, Missing, Missing, Missing, Missing];

    private static ReadOnlySpan<EnvelopeFailure> EntryOnly => [EnvelopeFailure.None, EnvelopeFailure.None, EnvelopeFailure.None, EnvelopeFailure.None, EnvelopeFailure.None, EnvelopeFailure.None];

    /// <summary>Reads and verifies <paramref name="signed"/>; never throws for hostile input.</summary>
    /// <param name="signed">The <c>SignedDeviceList</c> bytes.</param>
    /// <param name="facts">The list's account, kind, version and key, when valid.</param>
    /// <returns><see langword="null"/> when valid, else what is wrong (for the error detail).</returns>
    internal static string? Inspect(ReadOnlySpan<byte> signed, out DeviceListFacts? facts)
    {
        facts = null;
        if (signed.Length > WireLimits.MaxSignedDeviceListLength)
        {
            return $"a signed device list is at most {WireLimits.MaxSignedDeviceListLength} bytes";
        }

        var reader = new ProtoReader(signed, 0, signed.Length);
        Range key = default, list = default, signature = default;
        while (!reader.IsAtEnd)
        {
            EnvelopeFailure failure = reader.ReadField(SignedRequired, SignedLengthDelimited, out int field);
            int start = 0, length = 0;
            if (failure == EnvelopeFailure.None)
            {
                failure = reader.ReadBytes(out start, out length);
            }

            if (failure != EnvelopeFailure.None)
            {
                return Describe("SignedDeviceList", failure);
            }

            Range value = start..(start + length);
            switch (field)
            {
                case SignedSchema.AccountKeyFieldNumber:
                    key = value;
                    break;
                case SignedSchema.ListFieldNumber:
                    list = value;
                    break;
                default:
                    signature = value;
                    break;
            }
        }

        if (reader.CheckEnd(SignedRequired) != EnvelopeFailure.None)
        {
            return "SignedDeviceList: a field is missing";
        }

        if (signed[key].Length != Ed25519Verifier.PublicKeyLength || signed[signature].Length != RelayServerLimits.SignatureLength)
        {
            return "the account key is 32 bytes and the signature 64";
        }

        if (!Ed25519Verifier.Verify(signed[key], Label, signed[list], signed[signature]))
        {
            return "the signature does not verify under the list's account key";
        }

        string? problem = ReadList(signed, list, out string account, out ulong kind, out ulong version);
        if (problem is null)
        {
            facts = new DeviceListFacts(account, (PartyKind)kind, version, signed[key].ToArray());
        }

        return problem;
    }

    private static string? ReadList(ReadOnlySpan<byte> signed, Range list, out string account, out ulong kind, out ulong version)
    {
        account = string.Empty;
        kind = 0;
        version = 0;
        (int listStart, int listEnd) = (list.Start.Value, list.End.Value);
        var reader = new ProtoReader(signed, listStart, listEnd);
        int devicesEnd = -1;
        while (!reader.IsAtEnd && devicesEnd < 0)
        {
            EnvelopeFailure failure = reader.ReadField(ListRequired, Wire.RecordFieldMasks.DeviceListLengthDelimited, out int field);
            int start = 0, length = 0;
            ulong value = 0;
            if (failure == EnvelopeFailure.None)
            {
                failure = field switch
                {
                    ListSchema.AccountFieldNumber => reader.ReadBytes(out start, out length),
                    ListSchema.DevicesFieldNumber => reader.ReadMessage(out start, out devicesEnd),
                    _ => reader.ReadUInt64(out value),
                };
            }

            if (failure != EnvelopeFailure.None)
            {
                return Describe("DeviceList", failure);
            }

            switch (field)
            {
                case ListSchema.AccountFieldNumber when !WireAddress.IsValidName(signed.Slice(start, length)):
                    return "the list's account is not a valid account name";
                case ListSchema.AccountFieldNumber:
                    account = Encoding.ASCII.GetString(signed.Slice(start, length));
                    break;
                case ListSchema.KindFieldNumber when value is not ((ulong)PartyKind.Person or (ulong)PartyKind.Business):
                    return "the list's kind is not person or business";
                case ListSchema.KindFieldNumber:
                    kind = value;
                    break;
                case ListSchema.VersionFieldNumber:
                    version = value;
                    break;
            }
        }

        if (devicesEnd < 0)
        {
            return "DeviceList: a field is missing";
        }

        return CountEntries(signed, devicesEnd, listEnd);
    }

    /// <summary>The entries after the first: consecutive fields 5 (a repeated field), 64 in all at most.</summary>
    private static string? CountEntries(ReadOnlySpan<byte> signed, int position, int end)
    {
        for (int entries = 1; position < end; entries++)
        {
            if (entries == WireLimits.MaxDevicesPerAccount)
            {
                return $"a device list has at most {WireLimits.MaxDevicesPerAccount} devices";
            }

            var reader = new ProtoReader(signed, position, end);
            EnvelopeFailure failure = reader.ReadField(EntryOnly, 1u << ListSchema.DevicesFieldNumber, out int field);
            if (failure == EnvelopeFailure.None && field != ListSchema.DevicesFieldNumber)
            {
                failure = EnvelopeFailure.FieldsOutOfOrder;
            }

            if (failure == EnvelopeFailure.None)
            {
                failure = reader.ReadMessage(out _, out position);
            }

            if (failure != EnvelopeFailure.None)
            {
                return Describe("DeviceList", failure);
            }
        }

        return null;
    }

    private static string Describe(string message, EnvelopeFailure failure) =>
        failure == Missing ? $"{message}: a field is missing" : $"{message}: {failure}";
}
