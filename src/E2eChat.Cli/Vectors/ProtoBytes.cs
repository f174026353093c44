using System.Text;
using E2eChat.Wire;

namespace E2eChat.Cli.Vectors;

/// <summary>
/// Raw protobuf encoding for hand-built envelopes, including non-canonical ones: each builder takes
/// null for "field absent" and writes whatever it is given, defaults included.
/// </summary>
internal static class ProtoBytes
{
    /// <summary>A varint, minimally encoded.</summary>
    internal static byte[] Varint(ulong value)
    {
        byte[] bytes = new byte[ProtoWriter.VarintLength(value)];
        new ProtoWriter(bytes).WriteVarint(value);
        return bytes;
    }

    /// <summary>A field tag.</summary>
    internal static byte[] Tag(int field, int wireType)
    {
        byte[] bytes = new byte[ProtoWriter.TagLength(field)];
        new ProtoWriter(bytes).WriteTag(field, (WireType)wireType);
        return bytes;
    }

    /// <summary>A varint field, or nothing when <paramref name="value"/> is null.</summary>
    internal static byte[] VarintField(int field, ulong? value) => value is null ? [] : [.. Tag(field, 0), .. Varint(value.Value)];

    /// <summary>A length-delimited field, or nothing when <paramref name="value"/> is null.</summary>
    internal static byte[] BytesField(int field, byte[]? value) => value is null ? [] : [.. Tag(field, 2), .. Varint((ulong)value.Length), .. value];

    /// <summary>The concatenation of <paramref name="parts"/>.</summary>
    internal static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(p => p)];

    /// <summary>An <c>Address</c>.</summary>
    internal static byte[] AddressBody(string? name, ulong? device, ulong? kind) =>
        Concat(BytesField(1, name is null ? null : Encoding.UTF8.GetBytes(name)), VarintField(2, device), VarintField(3, kind));

    /// <summary>A <c>RatchetMessage</c>.</summary>
    internal static byte[] RatchetBody(byte[]? header, byte[]? ciphertext) => Concat(BytesField(1, header), BytesField(2, ciphertext));

    /// <summary>A <c>PreKeyMessage</c>.</summary>
    internal static byte[] PreKeyBody(byte[]? identityKey, byte[]? baseKey, ulong? signedId, ulong? oneTimeId, ulong? kemId, byte[]? kemCiphertext, byte[]? ratchet) =>
        Concat(BytesField(1, identityKey), BytesField(2, baseKey), VarintField(3, signedId), VarintField(4, oneTimeId), VarintField(5, kemId), BytesField(6, kemCiphertext), BytesField(7, ratchet));

    /// <summary>A <c>SenderKeyMessage</c>.</summary>
    internal static byte[] SenderKeyBody(byte[]? distributionId, ulong? chainId, ulong? iteration, ulong? expiresAt, byte[]? ciphertext, byte[]? signature) =>
        Concat(BytesField(1, distributionId), VarintField(2, chainId), VarintField(3, iteration), VarintField(4, expiresAt), BytesField(5, ciphertext), BytesField(6, signature));
}
