using E2eChat.Relay;
using E2eChat.Wire;
using Google.Protobuf;

namespace E2eChat.Tests.Envelopes;

public sealed class EnvelopeCodecTests
{
    private static readonly ProtocolAddress s_sender = new("alice", 1);
    private static readonly ProtocolAddress s_recipient = new("acme-shoes", 2);

    public static TheoryData<EnvelopeType> Types => [EnvelopeType.PreKey, EnvelopeType.Ratchet, EnvelopeType.SenderKey];

    private static ByteString Bytes(int length, byte seed)
    {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++)
        {
            bytes[i] = unchecked((byte)(seed + (i * 7)));
        }

        return ByteString.CopyFrom(bytes);
    }

    private static E2eChat.Wire.Proto.RatchetMessage Ratchet() => new() { Header = Bytes(80, 1), Ciphertext = Bytes(128 + 16, 2) };

    private static byte[] Body(EnvelopeType type) => type switch
    {
        EnvelopeType.PreKey => new E2eChat.Wire.Proto.PreKeyMessage
        {
            IdentityKey = Bytes(128, 3),
            BaseKey = Bytes(32, 4),
            SignedPrekeyId = 7,
            KemPrekeyId = 11,
            KemCiphertext = Bytes(1088, 5),
            Message = Ratchet(),
        }.ToByteArray(),
        EnvelopeType.Ratchet => Ratchet().ToByteArray(),
        _ => new E2eChat.Wire.Proto.SenderKeyMessage
        {
            DistributionId = Bytes(16, 6),
            ChainId = 3,
            Iteration = 5,
            ExpiresAtMs = 1_767_312_000_000,
            Ciphertext = Bytes(64 + 16, 7),
            Signature = Bytes(64, 8),
        }.ToByteArray(),
    };

    private static Envelope Envelope(EnvelopeType type, byte[] body) =>
        new(s_sender, AccountKind.Person, s_recipient, AccountKind.Business, Bytes(16, 9).Span, 1_767_225_600_000, new CiphertextMessage(type, body));

    /// <summary>The encoding as first specified: parse the body into the envelope, serialize the whole.</summary>
    private static byte[] ParseAndSerialize(Envelope envelope)
    {
        var wire = new E2eChat.Wire.Proto.Envelope
        {
            Version = 1,
            Type = (E2eChat.Wire.Proto.EnvelopeType)envelope.Message.Type,
            Sender = new E2eChat.Wire.Proto.Address { Name = envelope.Sender.Name, Device = envelope.Sender.DeviceId, Kind = (E2eChat.Wire.Proto.AccountKind)envelope.SenderKind },
            Recipient = new E2eChat.Wire.Proto.Address { Name = envelope.Recipient.Name, Device = envelope.Recipient.DeviceId, Kind = (E2eChat.Wire.Proto.AccountKind)envelope.RecipientKind },
            MessageId = ByteString.CopyFrom(envelope.MessageId.Span),
            TimestampMs = envelope.TimestampMilliseconds,
        };
        ReadOnlySpan<byte> body = envelope.Message.Body.Span;
        switch (envelope.Message.Type)
        {
            case EnvelopeType.PreKey:
                wire.Prekey = E2eChat.Wire.Proto.PreKeyMessage.Parser.ParseFrom(body);
                break;
            case EnvelopeType.Ratchet:
                wire.Ratchet = E2eChat.Wire.Proto.RatchetMessage.Parser.ParseFrom(body);
                break;
            default:
                wire.SenderKey = E2eChat.Wire.Proto.SenderKeyMessage.Parser.ParseFrom(body);
                break;
        }

        return wire.ToByteArray();
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void Encode_CanonicalBody_SameBytesAsParsingTheBody(EnvelopeType type)
    {
        Envelope envelope = Envelope(type, Body(type));
        byte[] encoded = EnvelopeCodec.Encode(envelope);
        Assert.Equal(ParseAndSerialize(envelope), encoded);
        Assert.Equal(EnvelopeFailure.None, EnvelopeValidator.Validate(encoded));
    }

    [Fact]
    public void Encode_NonCanonicalBody_RefusedNotReEncoded()
    {
        // Ciphertext (field 2) before header (field 1): parseable, not canonical.
        E2eChat.Wire.Proto.RatchetMessage ratchet = Ratchet();
        byte[] reversed = [.. new E2eChat.Wire.Proto.RatchetMessage { Ciphertext = ratchet.Ciphertext }.ToByteArray(), .. new E2eChat.Wire.Proto.RatchetMessage { Header = ratchet.Header }.ToByteArray()];
        Assert.Equal(ratchet, E2eChat.Wire.Proto.RatchetMessage.Parser.ParseFrom(reversed));

        // The relay reads the ciphertext first and reports the header it skipped as missing.
        var error = Assert.Throws<E2eChatException>(() => EnvelopeCodec.Encode(Envelope(EnvelopeType.Ratchet, reversed)));
        Assert.True(error.Failure == E2eChatFailure.InvalidHeaderLength);
    }

    [Fact]
    public void Encode_BodyBreakingARelayRule_ThrowsTheRelaysFailure()
    {
        // A 79-byte header: canonical protobuf, refused by the validator.
        var ratchet = new E2eChat.Wire.Proto.RatchetMessage { Header = Bytes(79, 1), Ciphertext = Bytes(144, 2) };
        var error = Assert.Throws<E2eChatException>(() => EnvelopeCodec.Encode(Envelope(EnvelopeType.Ratchet, ratchet.ToByteArray())));
        Assert.True(error.Failure == E2eChatFailure.InvalidHeaderLength);
    }

    [Fact]
    public void Encode_UnparseableBody_ThrowsTheRelaysFailure()
    {
        var error = Assert.Throws<E2eChatException>(() => EnvelopeCodec.Encode(Envelope(EnvelopeType.Ratchet, [0x0A, 0x50, 0x01])));
        Assert.True(error.Failure == E2eChatFailure.Truncated);
    }

    public static TheoryData<string> PreKeyRules => NonCanonicalBodies.PreKeyRules;

    public static TheoryData<string> RatchetRules => NonCanonicalBodies.RatchetRules;

    [Theory]
    [MemberData(nameof(PreKeyRules))]
    public void Encode_PreKeyBodyBreakingARule_ThrowsThatRulesFailure(string rule)
    {
        byte[] canonical = Body(EnvelopeType.PreKey);
        byte[] body = NonCanonicalBodies.PreKey(canonical, rule);
        var error = Assert.Throws<E2eChatException>(() => EnvelopeCodec.Encode(Envelope(EnvelopeType.PreKey, body)));
        Assert.Equal(NonCanonicalBodies.PreKeyFailure(rule).ToString(), error.Failure.ToString());
    }

    [Theory]
    [MemberData(nameof(RatchetRules))]
    public void Encode_RatchetBodyBreakingARule_ThrowsThatRulesFailure(string rule)
    {
        byte[] body = NonCanonicalBodies.Ratchet(Body(EnvelopeType.Ratchet), rule);
        var error = Assert.Throws<E2eChatException>(() => EnvelopeCodec.Encode(Envelope(EnvelopeType.Ratchet, body)));
        Assert.Equal(NonCanonicalBodies.RatchetFailure(rule).ToString(), error.Failure.ToString());
    }

    [Fact]
    public void Encode_TooLarge_ThrowsTooLarge()
    {
        var ratchet = new E2eChat.Wire.Proto.RatchetMessage { Header = Bytes(80, 1), Ciphertext = Bytes(81920 + 16, 2) };
        byte[] body = [.. ratchet.ToByteArray(), .. new byte[16384]];
        var error = Assert.Throws<E2eChatException>(() => EnvelopeCodec.Encode(Envelope(EnvelopeType.Ratchet, body)));
        Assert.True(error.Failure == E2eChatFailure.TooLarge);
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void TryDecode_Encoded_RoundTripsEveryField(EnvelopeType type)
    {
        byte[] body = Body(type);
        Envelope original = Envelope(type, body);
        Assert.True(EnvelopeCodec.TryDecode(EnvelopeCodec.Encode(original), out Envelope? decoded, out E2eChatFailure failure));
        Assert.Equal(E2eChatFailure.None, failure);
        Assert.Equal(original.Sender, decoded.Sender);
        Assert.Equal(original.SenderKind, decoded.SenderKind);
        Assert.Equal(original.Recipient, decoded.Recipient);
        Assert.Equal(original.RecipientKind, decoded.RecipientKind);
        Assert.Equal(original.MessageId.ToArray(), decoded.MessageId.ToArray());
        Assert.Equal(original.TimestampMilliseconds, decoded.TimestampMilliseconds);
        Assert.Equal(type, decoded.Message.Type);
        Assert.Equal(body, decoded.Message.Body.ToArray());
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void TryDecode_Valid_BodyAsReserializedByAParser(EnvelopeType type)
    {
        byte[] encoded = EnvelopeCodec.Encode(Envelope(type, Body(type)));
        E2eChat.Wire.Proto.Envelope parsed = E2eChat.Wire.Proto.Envelope.Parser.ParseFrom(encoded);
        byte[] expected = type switch
        {
            EnvelopeType.PreKey => parsed.Prekey.ToByteArray(),
            EnvelopeType.Ratchet => parsed.Ratchet.ToByteArray(),
            _ => parsed.SenderKey.ToByteArray(),
        };
        Assert.True(EnvelopeCodec.TryDecode(encoded, out Envelope? decoded, out _));
        Assert.Equal(expected, decoded.Message.Body.ToArray());
        Assert.Equal(parsed.Sender.Name, decoded.Sender.Name);
        Assert.Equal(parsed.Recipient.Name, decoded.Recipient.Name);
    }

    [Fact]
    public void TryDecode_EveryTruncation_FailsWithoutThrowing()
    {
        byte[] encoded = EnvelopeCodec.Encode(Envelope(EnvelopeType.Ratchet, Body(EnvelopeType.Ratchet)));
        for (int length = 0; length < encoded.Length; length++)
        {
            Assert.False(EnvelopeCodec.TryDecode(encoded.AsSpan(0, length), out Envelope? decoded, out E2eChatFailure failure));
            Assert.Null(decoded);
            Assert.NotEqual(E2eChatFailure.None, failure);
        }
    }
}
