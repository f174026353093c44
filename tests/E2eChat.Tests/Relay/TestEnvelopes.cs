using FsCheck;
using FsCheck.Fluent;
using Google.Protobuf;
using Wire = E2eChat.Wire;

namespace E2eChat.Tests.Relay;

/// <summary>
/// Builds envelopes for the relay tests: valid ones with Google.Protobuf's generated types (which
/// always write the canonical encoding), filled with seeded random bytes of the right lengths, and
/// raw protobuf fragments for the encoding rules the generated types cannot break.
/// </summary>
internal static class TestEnvelopes
{
    /// <summary>Every valid ciphertext length: the padding buckets of PROTOCOL.md section 6 plus 16.</summary>
    public static readonly int[] CiphertextLengths =
        [.. new[] { 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768, 49152, 65536, 81920 }.Select(b => b + 16)];

    public static readonly E2eChat.Wire.Proto.EnvelopeType[] Types =
        [E2eChat.Wire.Proto.EnvelopeType.Prekey, E2eChat.Wire.Proto.EnvelopeType.Ratchet, E2eChat.Wire.Proto.EnvelopeType.SenderKey];

    /// <summary>A valid envelope of <paramref name="type"/>, with random content from <paramref name="seed"/>.</summary>
    public static E2eChat.Wire.Proto.Envelope Valid(E2eChat.Wire.Proto.EnvelopeType type, int seed = 1, int ciphertextLength = 80)
    {
        var random = new Random(seed);
        var envelope = new E2eChat.Wire.Proto.Envelope
        {
            Version = 1,
            Type = type,
            Sender = new E2eChat.Wire.Proto.Address { Name = "alice", Device = 1, Kind = E2eChat.Wire.Proto.AccountKind.Person },
            Recipient = new E2eChat.Wire.Proto.Address { Name = "shop.example_2-b", Device = 255, Kind = E2eChat.Wire.Proto.AccountKind.Business },
            MessageId = RandomBytes(random, 16),
            TimestampMs = 1_767_225_600_000,
        };
        switch (type)
        {
            case E2eChat.Wire.Proto.EnvelopeType.Prekey:
                envelope.Prekey = PreKey(random, ciphertextLength);
                break;
            case E2eChat.Wire.Proto.EnvelopeType.Ratchet:
                envelope.Ratchet = Ratchet(random, ciphertextLength);
                break;
            default:
                envelope.SenderKey = SenderKey(random, ciphertextLength);
                break;
        }

        return envelope;
    }

    public static E2eChat.Wire.Proto.PreKeyMessage PreKey(Random random, int ciphertextLength) => new()
    {
        IdentityKey = RandomBytes(random, 128),
        BaseKey = RandomBytes(random, 32),
        SignedPrekeyId = 7,
        OneTimePrekeyId = 42,
        KemPrekeyId = 9,
        KemCiphertext = RandomBytes(random, 1088),
        Message = Ratchet(random, ciphertextLength),
    };

    public static E2eChat.Wire.Proto.RatchetMessage Ratchet(Random random, int ciphertextLength) => new()
    {
        Header = RandomBytes(random, 80),
        Ciphertext = RandomBytes(random, ciphertextLength),
    };

    public static E2eChat.Wire.Proto.SenderKeyMessage SenderKey(Random random, int ciphertextLength) => new()
    {
        DistributionId = RandomBytes(random, 16),
        ChainId = 3,
        Iteration = 17,
        ExpiresAtMs = 1_767_312_000_000,
        Ciphertext = RandomBytes(random, ciphertextLength),
        Signature = RandomBytes(random, 64),
    };

    /// <summary>A valid envelope's bytes after <paramref name="change"/> is applied to it.</summary>
    public static byte[] With(E2eChat.Wire.Proto.EnvelopeType type, Action<E2eChat.Wire.Proto.Envelope> change)
    {
        E2eChat.Wire.Proto.Envelope envelope = Valid(type);
        change(envelope);
        return envelope.ToByteArray();
    }

    public static ByteString RandomBytes(Random random, int length)
    {
        byte[] bytes = new byte[length];
        random.NextBytes(bytes);
        return ByteString.CopyFrom(bytes);
    }

    /// <summary>A tag: <c>field &lt;&lt; 3 | wireType</c> as a minimal varint.</summary>
    public static byte[] Tag(int field, int wireType) => Varint(((ulong)field << 3) | (uint)wireType);

    /// <summary>The minimal varint encoding of <paramref name="value"/>.</summary>
    public static byte[] Varint(ulong value)
    {
        var bytes = new List<byte>();
        while (value >= 0x80)
        {
            bytes.Add((byte)((value & 0x7F) | 0x80));
            value >>= 7;
        }

        bytes.Add((byte)value);
        return [.. bytes];
    }

    /// <summary>A varint field.</summary>
    public static byte[] VarintField(int field, ulong value) => [.. Tag(field, 0), .. Varint(value)];

    /// <summary>A length-delimited field.</summary>
    public static byte[] BytesField(int field, byte[] value) => [.. Tag(field, 2), .. Varint((ulong)value.Length), .. value];

    public static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(p => p)];

    private static readonly char[] s_nameAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789._-".ToCharArray();

    /// <summary>Any <c>uint</c>, small values and the extremes as likely as large ones.</summary>
    public static Gen<uint> UInt32s { get; } = Gen.OneOf(
        Gen.Choose(0, 300).Select(x => (uint)x),
        Gen.Elements(uint.MaxValue - 1, uint.MaxValue),
        from hi in Gen.Choose(0, 0xFFFF) from lo in Gen.Choose(0, 0xFFFF) select ((uint)hi << 16) | (uint)lo);

    /// <summary>Any <c>ulong</c>, small values and the extremes as likely as large ones.</summary>
    public static Gen<ulong> UInt64s { get; } = Gen.OneOf(
        UInt32s.Select(x => (ulong)x),
        Gen.Elements(ulong.MaxValue - 1, ulong.MaxValue),
        from hi in UInt32s from lo in UInt32s select ((ulong)hi << 32) | lo);

    public static Gen<string> Names { get; } =
        from length in Gen.Choose(1, 64)
        from chars in Gen.ArrayOf(Gen.Elements(s_nameAlphabet), length)
        select new string(chars);

    public static Gen<E2eChat.Wire.Proto.Address> Addresses { get; } =
        from name in Names
        from device in Gen.Choose(1, 255)
        from kind in Gen.Elements(E2eChat.Wire.Proto.AccountKind.Person, E2eChat.Wire.Proto.AccountKind.Business)
        select new E2eChat.Wire.Proto.Address { Name = name, Device = (uint)device, Kind = kind };

    /// <summary>
    /// Valid envelopes of every type with random field values: names, devices, kinds, timestamps,
    /// pre-key ids, chain ids, iterations and expiries across their whole ranges, and random bytes
    /// of the right lengths, the ciphertext's one of <paramref name="ciphertextLengths"/>.
    /// </summary>
    public static Gen<E2eChat.Wire.Proto.Envelope> ValidEnvelopes(int[] ciphertextLengths) =>
        from type in Gen.Elements(Types)
        from sender in Addresses
        from recipient in Addresses
        from timestamp in NonZero(UInt64s)
        from ciphertextLength in Gen.Elements(ciphertextLengths)
        from signedId in NonZero(UInt32s)
        from oneTimeId in UInt32s
        from kemId in NonZero(UInt32s)
        from chainId in NonZero(UInt32s)
        from iteration in UInt32s
        from expiresAt in UInt64s
        from seed in Gen.Choose(0, int.MaxValue)
        select Build(type, sender, recipient, timestamp, ciphertextLength, (signedId, oneTimeId, kemId), (chainId, iteration, expiresAt), seed);

    private static Gen<uint> NonZero(Gen<uint> gen) => gen.Select(x => x == 0 ? 1 : x);

    private static Gen<ulong> NonZero(Gen<ulong> gen) => gen.Select(x => x == 0 ? 1 : x);

    private static E2eChat.Wire.Proto.Envelope Build(
        E2eChat.Wire.Proto.EnvelopeType type,
        E2eChat.Wire.Proto.Address sender,
        E2eChat.Wire.Proto.Address recipient,
        ulong timestamp,
        int ciphertextLength,
        (uint Signed, uint OneTime, uint Kem) ids,
        (uint ChainId, uint Iteration, ulong ExpiresAt) chain,
        int seed)
    {
        E2eChat.Wire.Proto.Envelope envelope = Valid(type, seed, ciphertextLength);
        envelope.Sender = sender;
        envelope.Recipient = recipient;
        envelope.TimestampMs = timestamp;
        if (envelope.Prekey is { } preKey)
        {
            preKey.SignedPrekeyId = ids.Signed;
            preKey.OneTimePrekeyId = ids.OneTime;
            preKey.KemPrekeyId = ids.Kem;
        }

        if (envelope.SenderKey is { } senderKey)
        {
            senderKey.ChainId = chain.ChainId;
            senderKey.Iteration = chain.Iteration;
            senderKey.ExpiresAtMs = chain.ExpiresAt;
        }

        // PROTOCOL.md section 8 step 3: a business's pre-key or ratchet envelope to a person carries a category.
        if (sender.Kind == E2eChat.Wire.Proto.AccountKind.Business && recipient.Kind == E2eChat.Wire.Proto.AccountKind.Person
            && type is E2eChat.Wire.Proto.EnvelopeType.Prekey or E2eChat.Wire.Proto.EnvelopeType.Ratchet)
        {
            envelope.Category = (E2eChat.Wire.Proto.Category)(1 + (seed % 4));
        }

        return envelope;
    }
}
