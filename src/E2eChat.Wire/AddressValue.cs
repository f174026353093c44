using Schema = E2eChat.Wire.FieldNumbers.Address;

namespace E2eChat.Wire;

/// <summary>An address to write into an envelope (<c>Address</c> in <c>wire.proto</c>), as views of the caller's data.</summary>
internal readonly ref struct AddressValue
{
    /// <summary>Creates an address value.</summary>
    /// <param name="name">The account name's ASCII bytes.</param>
    /// <param name="device">The device id.</param>
    /// <param name="kind">The account kind.</param>
    internal AddressValue(ReadOnlySpan<byte> name, uint device, AccountKind kind)
    {
        Name = name;
        Device = device;
        Kind = kind;
    }

    /// <summary>The account name's ASCII bytes.</summary>
    internal ReadOnlySpan<byte> Name { get; }

    /// <summary>The device id.</summary>
    internal uint Device { get; }

    /// <summary>The account kind.</summary>
    internal AccountKind Kind { get; }

    /// <summary>The length of the encoded <c>Address</c> message.</summary>
    internal int EncodedLength =>
        (Name.IsEmpty ? 0 : ProtoWriter.BytesFieldLength(Schema.NameFieldNumber, Name.Length))
        + ProtoWriter.VarintFieldLength(Schema.DeviceFieldNumber, Device)
        + ProtoWriter.VarintFieldLength(Schema.KindFieldNumber, (ulong)Kind);

    /// <summary>Writes the canonical encoding.</summary>
    /// <param name="output">Exactly <see cref="EncodedLength"/> bytes.</param>
    internal void Write(Span<byte> output)
    {
        var writer = new ProtoWriter(output);
        if (!Name.IsEmpty)
        {
            writer.WriteBytesField(Schema.NameFieldNumber, Name);
        }

        writer.WriteVarintField(Schema.DeviceFieldNumber, Device);
        writer.WriteVarintField(Schema.KindFieldNumber, (ulong)Kind);
    }
}
