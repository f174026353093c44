using Schema = E2eChat.Wire.FieldNumbers.Address;

namespace E2eChat.Wire;

/// <summary>
/// The codec of an <c>Address</c> (<c>wire.proto</c>): <c>name</c> (1) 1 to 64 bytes of
/// <c>[a-z0-9._-]</c>, <c>device</c> (2) 1 to 255, <c>kind</c> (3) person or business; all three
/// required. Addresses only occur inside an envelope, so it reads a range of the envelope; writing
/// is <see cref="AddressValue.Write"/>.
/// </summary>
internal static class WireAddress
{
    private const uint LengthDelimitedFields = 1u << Schema.NameFieldNumber;

    private static readonly EnvelopeFailure[] s_senderRequired =
        [EnvelopeFailure.None, EnvelopeFailure.InvalidSenderAddress, EnvelopeFailure.InvalidSenderAddress, EnvelopeFailure.InvalidSenderAddress];

    private static readonly EnvelopeFailure[] s_recipientRequired =
        [EnvelopeFailure.None, EnvelopeFailure.InvalidRecipientAddress, EnvelopeFailure.InvalidRecipientAddress, EnvelopeFailure.InvalidRecipientAddress];

    /// <summary>Reads the address at <c>envelope[start..end]</c>.</summary>
    /// <param name="envelope">The whole envelope.</param>
    /// <param name="start">Where the address message starts.</param>
    /// <param name="end">Where it ends (exclusive).</param>
    /// <param name="isSender">Whether this is the sender's address (else the recipient's): it picks the failure.</param>
    /// <param name="address">The address, on success.</param>
    /// <returns><see cref="EnvelopeFailure.None"/> or the first rule broken.</returns>
    internal static EnvelopeFailure Read(ReadOnlySpan<byte> envelope, int start, int end, bool isSender, out AddressView address)
    {
        address = default;
        EnvelopeFailure invalid = isSender ? EnvelopeFailure.InvalidSenderAddress : EnvelopeFailure.InvalidRecipientAddress;
        ReadOnlySpan<EnvelopeFailure> required = isSender ? s_senderRequired : s_recipientRequired;
        var reader = new ProtoReader(envelope, start, end);
        Range name = default;
        uint device = 0;
        ulong kind = 0;
        while (!reader.IsAtEnd)
        {
            EnvelopeFailure failure = reader.ReadField(required, LengthDelimitedFields, out int field);
            if (failure != EnvelopeFailure.None)
            {
                return failure;
            }

            switch (field)
            {
                case Schema.NameFieldNumber:
                    failure = reader.ReadBytes(out int nameStart, out int nameLength);
                    if (failure != EnvelopeFailure.None)
                    {
                        return failure;
                    }

                    if (!IsValidName(envelope.Slice(nameStart, nameLength)))
                    {
                        return invalid;
                    }

                    name = new Range(nameStart, nameStart + nameLength);
                    break;

                case Schema.DeviceFieldNumber:
                    failure = reader.ReadUInt32(out device);
                    if (failure != EnvelopeFailure.None)
                    {
                        return failure;
                    }

                    if (device > WireLimits.MaxDeviceId)
                    {
                        return invalid;
                    }

                    break;

                default:
                    failure = reader.ReadUInt64(out kind);
                    if (failure != EnvelopeFailure.None)
                    {
                        return failure;
                    }

                    if (kind is not ((ulong)AccountKind.Person or (ulong)AccountKind.Business))
                    {
                        return invalid;
                    }

                    break;
            }
        }

        EnvelopeFailure missing = reader.CheckEnd(required);
        if (missing != EnvelopeFailure.None)
        {
            return missing;
        }

        address = new AddressView(name, device, (AccountKind)(int)kind);
        return EnvelopeFailure.None;
    }

    /// <summary>Whether <paramref name="name"/> is 1 to 64 bytes of <c>[a-z0-9._-]</c>.</summary>
    /// <param name="name">The candidate name's bytes.</param>
    /// <returns><see langword="true"/> when valid.</returns>
    internal static bool IsValidName(ReadOnlySpan<byte> name)
    {
        if (name.IsEmpty || name.Length > WireLimits.MaxNameLength)
        {
            return false;
        }

        foreach (byte c in name)
        {
            bool ok = c is (>= (byte)'a' and <= (byte)'z') or (>= (byte)'0' and <= (byte)'9') or (byte)'.' or (byte)'_' or (byte)'-';
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }
}
