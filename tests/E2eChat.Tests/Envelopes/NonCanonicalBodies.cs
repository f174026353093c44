using E2eChat.Relay;
using E2eChat.Wire;
using Google.Protobuf;

namespace E2eChat.Tests.Envelopes;

/// <summary>
/// Test helper (not a test class): message bodies that break one canonical-encoding rule of
/// PROTOCOL.md section 8 each, built from a canonical body. Most variants parse with a lenient protobuf
/// parser to the same field values as the original (all but the wrong wire type, the missing field and
/// the wrong length), so a reader that does not apply the rules would accept them as that very message.
/// </summary>
internal static class NonCanonicalBodies
{
    /// <summary>The rules a <c>PreKeyMessage</c> body variant breaks, and the failure the relay's validator reports for each.</summary>
    internal static TheoryData<string> PreKeyRules => [.. s_preKeyRules.Keys];

    /// <summary>The rules a <c>RatchetMessage</c> body variant breaks.</summary>
    internal static TheoryData<string> RatchetRules => [.. s_ratchetRules.Keys];

    private static readonly Dictionary<string, EnvelopeFailure> s_preKeyRules = new(StringComparer.Ordinal)
    {
        ["NonMinimalValueVarint"] = EnvelopeFailure.MalformedVarint,
        ["UInt32AboveMax"] = EnvelopeFailure.MalformedVarint,
        ["NonMinimalTag"] = EnvelopeFailure.MalformedVarint,
        ["NonMinimalLength"] = EnvelopeFailure.MalformedVarint,
        ["UnknownField"] = EnvelopeFailure.UnknownField,
        ["RepeatedField"] = EnvelopeFailure.DuplicateField,
        ["FieldsOutOfOrder"] = EnvelopeFailure.FieldsOutOfOrder,
        ["WrongWireType"] = EnvelopeFailure.WrongWireType,
        ["DefaultValueWritten"] = EnvelopeFailure.DefaultValueWritten,
        ["NestedRatchetMessageNotCanonical"] = EnvelopeFailure.MalformedVarint,
        ["Truncated"] = EnvelopeFailure.Truncated,
        ["TrailingByte"] = EnvelopeFailure.Truncated,
        ["RequiredFieldMissing"] = EnvelopeFailure.InvalidPreKeyId,
        ["FieldLength"] = EnvelopeFailure.InvalidBaseKeyLength,
    };

    private static readonly Dictionary<string, EnvelopeFailure> s_ratchetRules = new(StringComparer.Ordinal)
    {
        ["NonMinimalLength"] = EnvelopeFailure.MalformedVarint,
        ["UnknownField"] = EnvelopeFailure.UnknownField,
        ["RepeatedField"] = EnvelopeFailure.DuplicateField,
        ["FieldsOutOfOrder"] = EnvelopeFailure.FieldsOutOfOrder,
        ["WrongWireType"] = EnvelopeFailure.WrongWireType,
        ["DefaultValueWritten"] = EnvelopeFailure.DefaultValueWritten,
        ["Truncated"] = EnvelopeFailure.Truncated,
        ["HeaderLength"] = EnvelopeFailure.InvalidHeaderLength,
    };

    /// <summary>The failure the relay reports for a pre-key body breaking <paramref name="rule"/>.</summary>
    internal static EnvelopeFailure PreKeyFailure(string rule) => s_preKeyRules[rule];

    /// <summary>The failure the relay reports for a ratchet body breaking <paramref name="rule"/>.</summary>
    internal static EnvelopeFailure RatchetFailure(string rule) => s_ratchetRules[rule];

    /// <summary>
    /// A variant of the canonical <c>PreKeyMessage</c> <paramref name="canonical"/> breaking
    /// <paramref name="rule"/>. The message must not use a one-time pre-key (so that writing its id as 0
    /// keeps its meaning).
    /// </summary>
    internal static byte[] PreKey(byte[] canonical, string rule)
    {
        E2eChat.Wire.Proto.PreKeyMessage m = E2eChat.Wire.Proto.PreKeyMessage.Parser.ParseFrom(canonical);
        Assert.Equal(0u, m.OneTimePrekeyId);
        byte[] f1 = Bytes(1, m.IdentityKey.ToByteArray());
        byte[] f2 = Bytes(2, m.BaseKey.ToByteArray());
        byte[] f3 = Varint(3, m.SignedPrekeyId);
        byte[] f5 = Varint(5, m.KemPrekeyId);
        byte[] f6 = Bytes(6, m.KemCiphertext.ToByteArray());
        byte[] ratchet = m.Message.ToByteArray();
        byte[] f7 = Bytes(7, ratchet);
        Assert.Equal(canonical, Concat(f1, f2, f3, f5, f6, f7));
        byte[] body = rule switch
        {
            "NonMinimalValueVarint" => Concat(f1, f2, Tag(3, 0), NonMinimal(m.SignedPrekeyId), f5, f6, f7),
            "UInt32AboveMax" => Concat(f1, f2, Tag(3, 0), VarintBytes((1UL << 32) + m.SignedPrekeyId), f5, f6, f7),
            "NonMinimalTag" => Concat(f1, f2, NonMinimal((3 << 3) | 0), VarintBytes(m.SignedPrekeyId), f5, f6, f7),
            "NonMinimalLength" => Concat(f1, Tag(2, 2), NonMinimal(32), m.BaseKey.ToByteArray(), f3, f5, f6, f7),
            "UnknownField" => Concat(f1, f2, f3, f5, f6, f7, Varint(8, 1)),
            "RepeatedField" => Concat(f1, f2, f3, f3, f5, f6, f7),
            "FieldsOutOfOrder" => Concat(f1, f2, f3, f5, f6, f7, f2),
            "WrongWireType" => Concat(f1, f2, Tag(3, 2), [1, 7], f5, f6, f7),
            "DefaultValueWritten" => Concat(f1, f2, f3, Tag(4, 0), [0], f5, f6, f7),
            "NestedRatchetMessageNotCanonical" => Concat(f1, f2, f3, f5, f6, Bytes(7, Ratchet(ratchet, "NonMinimalLength"))),
            "Truncated" => canonical[..^1],
            "TrailingByte" => [.. canonical, 0x80],
            "RequiredFieldMissing" => Concat(f1, f2, f3, f6, f7),
            "FieldLength" => Concat(f1, Bytes(2, [.. m.BaseKey.ToByteArray(), 0]), f3, f5, f6, f7),
            _ => throw new ArgumentOutOfRangeException(nameof(rule)),
        };
        return body;
    }

    /// <summary>A variant of the canonical <c>RatchetMessage</c> <paramref name="canonical"/> breaking <paramref name="rule"/>.</summary>
    internal static byte[] Ratchet(byte[] canonical, string rule)
    {
        E2eChat.Wire.Proto.RatchetMessage m = E2eChat.Wire.Proto.RatchetMessage.Parser.ParseFrom(canonical);
        byte[] header = m.Header.ToByteArray();
        byte[] ciphertext = m.Ciphertext.ToByteArray();
        byte[] f1 = Bytes(1, header);
        byte[] f2 = Bytes(2, ciphertext);
        Assert.Equal(canonical, Concat(f1, f2));
        return rule switch
        {
            "NonMinimalLength" => Concat(Tag(1, 2), NonMinimal((ulong)header.Length), header, f2),
            "UnknownField" => Concat(f1, f2, Varint(3, 1)),
            "RepeatedField" => Concat(f1, f1, f2),
            "FieldsOutOfOrder" => Concat(f1, f2, f1),
            "WrongWireType" => Concat(f1, Tag(2, 0), [1], f2),
            "DefaultValueWritten" => Concat(f1, Bytes(2, []), f2),
            "Truncated" => canonical[..^1],
            "HeaderLength" => Concat(Bytes(1, header[..^1]), f2),
            _ => throw new ArgumentOutOfRangeException(nameof(rule)),
        };
    }

    private static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(p => p)];

    private static byte[] Tag(int field, int wireType) => VarintBytes(((ulong)field << 3) | (uint)wireType);

    private static byte[] Varint(int field, ulong value) => Concat(Tag(field, 0), VarintBytes(value));

    private static byte[] Bytes(int field, byte[] value) => Concat(Tag(field, 2), VarintBytes((ulong)value.Length), value);

    /// <summary>The minimal varint (written by protobuf's own writer).</summary>
    private static byte[] VarintBytes(ulong value)
    {
        byte[] buffer = new byte[CodedOutputStream.ComputeUInt64Size(value)];
        using var output = new CodedOutputStream(buffer);
        output.WriteUInt64(value);
        output.Flush();
        return buffer;
    }

    /// <summary>The minimal varint with a redundant trailing 0x00 group.</summary>
    private static byte[] NonMinimal(ulong value)
    {
        byte[] minimal = VarintBytes(value);
        minimal[^1] |= 0x80;
        return [.. minimal, 0x00];
    }
}
