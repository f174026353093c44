using E2eChat.Relay;
using E2eChat.Wire;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Google.Protobuf;
using static E2eChat.Tests.Relay.TestEnvelopes;
using Wire = E2eChat.Wire;

namespace E2eChat.Tests.Relay;

public sealed class EnvelopeValidatorTests
{
    private static readonly byte[] s_versionAndType = Concat(VarintField(1, 1), VarintField(2, 2));

    /// <summary>
    /// One envelope per failure, each breaking exactly the rule named (the rest of the envelope valid
    /// or, for the encoding rules, never reached).
    /// </summary>
    private static readonly Dictionary<EnvelopeFailure, Func<byte[]>> s_cases = new()
    {
        [EnvelopeFailure.TooLarge] = () => new byte[WireLimits.MaxEnvelopeLength + 1],
        [EnvelopeFailure.Truncated] = () => Valid(E2eChat.Wire.Proto.EnvelopeType.Ratchet).ToByteArray()[..^1],
        [EnvelopeFailure.MalformedVarint] = () => [0x08, 0x81, 0x00],
        [EnvelopeFailure.WrongWireType] = () => BytesField(1, [1]),
        [EnvelopeFailure.UnknownField] = () => Concat(Valid(E2eChat.Wire.Proto.EnvelopeType.Ratchet).ToByteArray(), VarintField(11, 1)),
        [EnvelopeFailure.DuplicateField] = () => Concat(VarintField(1, 1), VarintField(1, 1)),
        [EnvelopeFailure.FieldsOutOfOrder] = () => Concat(s_versionAndType, VarintField(1, 1)),
        [EnvelopeFailure.DefaultValueWritten] = () => VarintField(1, 0),
        [EnvelopeFailure.MissingVersion] = () => With(E2eChat.Wire.Proto.EnvelopeType.Ratchet, e => e.Version = 0),
        [EnvelopeFailure.UnsupportedVersion] = () => With(E2eChat.Wire.Proto.EnvelopeType.Ratchet, e => e.Version = 2),
        [EnvelopeFailure.InvalidType] = () => With(E2eChat.Wire.Proto.EnvelopeType.Ratchet, e => e.Type = (E2eChat.Wire.Proto.EnvelopeType)4),
        [EnvelopeFailure.ContentMismatch] = () => With(E2eChat.Wire.Proto.EnvelopeType.Ratchet, e => e.Type = E2eChat.Wire.Proto.EnvelopeType.Prekey),
        [EnvelopeFailure.InvalidSenderAddress] = () => With(E2eChat.Wire.Proto.EnvelopeType.Ratchet, e => e.Sender.Name = "Alice"),
        [EnvelopeFailure.InvalidRecipientAddress] = () => With(E2eChat.Wire.Proto.EnvelopeType.Ratchet, e => e.Recipient.Device = 256),
        [EnvelopeFailure.InvalidMessageId] = () => With(E2eChat.Wire.Proto.EnvelopeType.Ratchet, e => e.MessageId = ByteString.CopyFrom(new byte[15])),
        [EnvelopeFailure.MissingTimestamp] = () => With(E2eChat.Wire.Proto.EnvelopeType.Ratchet, e => e.TimestampMs = 0),
        [EnvelopeFailure.InvalidIdentityKeyLength] = () => With(E2eChat.Wire.Proto.EnvelopeType.Prekey, e => e.Prekey.IdentityKey = ByteString.CopyFrom(new byte[127])),
        [EnvelopeFailure.InvalidBaseKeyLength] = () => With(E2eChat.Wire.Proto.EnvelopeType.Prekey, e => e.Prekey.BaseKey = ByteString.CopyFrom(new byte[33])),
        [EnvelopeFailure.InvalidPreKeyId] = () => With(E2eChat.Wire.Proto.EnvelopeType.Prekey, e => e.Prekey.SignedPrekeyId = 0),
        [EnvelopeFailure.InvalidKemCiphertextLength] = () => With(E2eChat.Wire.Proto.EnvelopeType.Prekey, e => e.Prekey.KemCiphertext = ByteString.CopyFrom(new byte[1089])),
        [EnvelopeFailure.MissingRatchetMessage] = () => With(E2eChat.Wire.Proto.EnvelopeType.Prekey, e => e.Prekey.Message = null),
        [EnvelopeFailure.InvalidHeaderLength] = () => With(E2eChat.Wire.Proto.EnvelopeType.Ratchet, e => e.Ratchet.Header = ByteString.CopyFrom(new byte[79])),
        [EnvelopeFailure.InvalidCiphertextLength] = () => With(E2eChat.Wire.Proto.EnvelopeType.Ratchet, e => e.Ratchet.Ciphertext = ByteString.CopyFrom(new byte[64])),
        [EnvelopeFailure.InvalidDistributionId] = () => With(E2eChat.Wire.Proto.EnvelopeType.SenderKey, e => e.SenderKey.DistributionId = ByteString.CopyFrom(new byte[15])),
        [EnvelopeFailure.InvalidChainId] = () => With(E2eChat.Wire.Proto.EnvelopeType.SenderKey, e => e.SenderKey.ChainId = 0),
        [EnvelopeFailure.InvalidSignatureLength] = () => With(E2eChat.Wire.Proto.EnvelopeType.SenderKey, e => e.SenderKey.Signature = ByteString.CopyFrom(new byte[65])),
        [EnvelopeFailure.MissingCategory] = () => With(E2eChat.Wire.Proto.EnvelopeType.Ratchet, e => (e.Sender, e.Recipient) = (new E2eChat.Wire.Proto.Address { Name = "shop", Device = 1, Kind = E2eChat.Wire.Proto.AccountKind.Business }, e.Sender)),
        [EnvelopeFailure.UnexpectedCategory] = () => With(E2eChat.Wire.Proto.EnvelopeType.Ratchet, e => e.Category = E2eChat.Wire.Proto.Category.Marketing),
        [EnvelopeFailure.InvalidCategory] = () => With(E2eChat.Wire.Proto.EnvelopeType.Ratchet, e => e.Category = (E2eChat.Wire.Proto.Category)5),
    };

    public static TheoryData<EnvelopeFailure> Failures() => [.. s_cases.Keys];

    public static TheoryData<EnvelopeType> EnvelopeTypes() => [EnvelopeType.PreKey, EnvelopeType.Ratchet, EnvelopeType.SenderKey];

    [Theory]
    [MemberData(nameof(EnvelopeTypes))]
    public void TryValidate_ValidEnvelope_ReportsWhatTheRelayLearns(EnvelopeType relayType)
    {
        var type = (E2eChat.Wire.Proto.EnvelopeType)(int)relayType;
        E2eChat.Wire.Proto.Envelope envelope = Valid(type, seed: 5, ciphertextLength: 528);
        byte[] bytes = envelope.ToByteArray();

        Assert.True(EnvelopeValidator.TryValidate(bytes, out EnvelopeView info, out EnvelopeFailure failure));

        Assert.Equal(EnvelopeFailure.None, failure);
        Assert.Equal(1u, info.Version);
        Assert.Equal(relayType, info.Type);
        Assert.Equal("alice"u8.ToArray(), info.Sender.GetName(bytes).ToArray());
        Assert.Equal(1u, info.Sender.Device);
        Assert.Equal(AccountKind.Person, info.Sender.Kind);
        Assert.Equal("shop.example_2-b"u8.ToArray(), info.Recipient.GetName(bytes).ToArray());
        Assert.Equal(255u, info.Recipient.Device);
        Assert.Equal(AccountKind.Business, info.Recipient.Kind);
        Assert.Equal(envelope.MessageId.ToByteArray(), info.GetMessageId(bytes).ToArray());
        Assert.Equal(envelope.TimestampMs, info.TimestampMilliseconds);
        Assert.Equal(bytes.Length, info.Length);
        Assert.Equal(528, info.CiphertextLength);
        Assert.Equal(type == E2eChat.Wire.Proto.EnvelopeType.SenderKey ? envelope.SenderKey.ExpiresAtMs : 0, info.ExpiresAtMilliseconds);
    }

    [Theory]
    [MemberData(nameof(EnvelopeTypes))]
    public void Validate_EveryBucketOfEveryType_IsValid(EnvelopeType relayType)
    {
        var type = (E2eChat.Wire.Proto.EnvelopeType)(int)relayType;
        foreach (int length in CiphertextLengths)
        {
            byte[] bytes = Valid(type, seed: length, ciphertextLength: length).ToByteArray();

            Assert.True(EnvelopeValidator.TryValidate(bytes, out EnvelopeView info, out EnvelopeFailure failure), $"{length}: {failure}");
            Assert.Equal(length, info.CiphertextLength);
        }
    }

    [Theory]
    [MemberData(nameof(Failures))]
    public void Validate_EnvelopeBreakingOneRule_ReportsThatRule(EnvelopeFailure expected)
    {
        byte[] bytes = s_cases[expected]();

        Assert.Equal(expected, EnvelopeValidator.Validate(bytes));
        Assert.False(EnvelopeValidator.TryValidate(bytes, out EnvelopeView info, out EnvelopeFailure failure));
        Assert.Equal(expected, failure);
        Assert.Equal(EnvelopeType.Unspecified, info.Type);
        Assert.Equal(0, info.Length);
    }

    [Fact]
    public void Validate_FailureTable_CoversEveryFailure()
    {
        EnvelopeFailure[] all = Enum.GetValues<EnvelopeFailure>();

        // InvalidKeyLength is a SenderKeyDistribution rule (inside a ciphertext), never an envelope's.
        Assert.Equal(all.Where(f => f is not (EnvelopeFailure.None or EnvelopeFailure.InvalidKeyLength)).Order(), s_cases.Keys.Order());
    }

    [Fact]
    public void Validate_LargestPreKeyEnvelope_FitsTheLimit()
    {
        byte[] bytes = Valid(E2eChat.Wire.Proto.EnvelopeType.Prekey, ciphertextLength: WireLimits.MaxPaddedLength + WireLimits.AeadTagLength).ToByteArray();

        Assert.Equal(EnvelopeFailure.None, EnvelopeValidator.Validate(bytes));
        Assert.InRange(bytes.Length, 80 * 1024, WireLimits.MaxEnvelopeLength);
    }

    [Fact]
    public void Validate_LengthAtTheLimit_IsReadNotRefusedForSize()
    {
        Assert.Equal(EnvelopeFailure.UnknownField, EnvelopeValidator.Validate(new byte[WireLimits.MaxEnvelopeLength]));
        Assert.Equal(EnvelopeFailure.TooLarge, EnvelopeValidator.Validate(new byte[WireLimits.MaxEnvelopeLength + 1]));
    }

    [Fact]
    public void Validate_Empty_IsMissingVersion()
    {
        Assert.Equal(EnvelopeFailure.MissingVersion, EnvelopeValidator.Validate(ReadOnlySpan<byte>.Empty));
    }

    public static TheoryData<string, byte[], EnvelopeFailure> EncodingCases() => new()
    {
        { "tag cut short", [0x88], EnvelopeFailure.Truncated },
        { "value cut short", [0x08], EnvelopeFailure.Truncated },
        { "length past the end", Concat(s_versionAndType, [0x1A, 0x10, 0x00]), EnvelopeFailure.Truncated },
        { "length of 2^32 - 1", Concat(s_versionAndType, [0x1A, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F]), EnvelopeFailure.Truncated },
        { "length of 2^64 - 1", Concat(s_versionAndType, [0x1A, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]), EnvelopeFailure.Truncated },
        { "tag not minimal", [0x88, 0x00, 0x01], EnvelopeFailure.MalformedVarint },
        { "tag above 2^32", [0x88, 0x80, 0x80, 0x80, 0x80, 0x01, 0x01], EnvelopeFailure.MalformedVarint },
        { "length not minimal", Concat(s_versionAndType, [0x1A, 0x80, 0x00]), EnvelopeFailure.MalformedVarint },
        { "uint32 above 2^32 - 1", Concat(Tag(1, 0), Varint(1UL << 32)), EnvelopeFailure.MalformedVarint },
        { "eleven-byte varint", Concat(Tag(1, 0), [0x81, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00]), EnvelopeFailure.MalformedVarint },
        { "tenth byte above 1", Concat(Tag(1, 0), [0x81, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x02]), EnvelopeFailure.MalformedVarint },
        { "ten continuation bytes then the end (value)", Concat(Tag(1, 0), [0x81, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80]), EnvelopeFailure.MalformedVarint },
        { "ten continuation bytes then the end (tag)", [0x88, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80], EnvelopeFailure.MalformedVarint },
        { "nine continuation bytes then the end (tag)", [0x88, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80], EnvelopeFailure.Truncated },
        { "nine continuation bytes then the end (value)", Concat(Tag(1, 0), [0x81, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80]), EnvelopeFailure.Truncated },
        { "field 0", [0x00], EnvelopeFailure.UnknownField },
        { "field above the schema", VarintField(1 << 20, 1), EnvelopeFailure.UnknownField },
        { "fixed64 version", Concat(Tag(1, 1), new byte[8]), EnvelopeFailure.WrongWireType },
        { "group version", Tag(1, 3), EnvelopeFailure.WrongWireType },
        { "fixed32 version", Concat(Tag(1, 5), new byte[4]), EnvelopeFailure.WrongWireType },
        { "varint sender", Concat(s_versionAndType, VarintField(3, 1)), EnvelopeFailure.WrongWireType },
        { "empty message id", Concat(s_versionAndType, BytesField(3, Sender()), BytesField(4, Sender()), BytesField(5, [])), EnvelopeFailure.DefaultValueWritten },
        { "zero timestamp", Concat(s_versionAndType, BytesField(3, Sender()), BytesField(4, Sender()), BytesField(5, new byte[16]), VarintField(6, 0)), EnvelopeFailure.DefaultValueWritten },
        { "zero type", Concat(VarintField(1, 1), VarintField(2, 0)), EnvelopeFailure.DefaultValueWritten },
        { "empty name", Concat(s_versionAndType, BytesField(3, BytesField(1, []))), EnvelopeFailure.DefaultValueWritten },
        { "zero device", Concat(s_versionAndType, BytesField(3, Concat(BytesField(1, "a"u8.ToArray()), VarintField(2, 0)))), EnvelopeFailure.DefaultValueWritten },
        { "unknown field in an address", Concat(s_versionAndType, BytesField(3, Concat(Sender(), VarintField(4, 1)))), EnvelopeFailure.UnknownField },
        { "duplicate name", Concat(s_versionAndType, BytesField(3, Concat(BytesField(1, "a"u8.ToArray()), BytesField(1, "a"u8.ToArray())))), EnvelopeFailure.DuplicateField },
        { "name after kind", Concat(s_versionAndType, BytesField(3, Concat(Sender(), BytesField(1, "a"u8.ToArray())))), EnvelopeFailure.FieldsOutOfOrder },
        { "kind before device", Concat(s_versionAndType, BytesField(3, Concat(BytesField(1, "a"u8.ToArray()), VarintField(3, 1)))), EnvelopeFailure.InvalidSenderAddress },
        { "address device before name", Concat(s_versionAndType, BytesField(3, Concat(VarintField(2, 1), BytesField(1, "a"u8.ToArray())))), EnvelopeFailure.InvalidSenderAddress },
        { "address runs past the envelope", Concat(s_versionAndType, [0x1A, 0x20], BytesField(1, "abc"u8.ToArray())), EnvelopeFailure.Truncated },
        { "name runs past its address", Concat(s_versionAndType, BytesField(3, [0x0A, 0x05, 0x61])), EnvelopeFailure.Truncated },
        { "sender after recipient", Concat(s_versionAndType, BytesField(3, Sender()), BytesField(4, Sender()), BytesField(3, Sender())), EnvelopeFailure.FieldsOutOfOrder },
        { "recipient before sender", Concat(s_versionAndType, BytesField(4, Sender()), BytesField(3, Sender())), EnvelopeFailure.InvalidSenderAddress },
        { "type before version", Concat(VarintField(2, 2), VarintField(1, 1)), EnvelopeFailure.MissingVersion },
        { "version 2 before an unknown field", Concat(VarintField(1, 2), VarintField(15, 1)), EnvelopeFailure.UnsupportedVersion },
    };

    [Theory]
    [MemberData(nameof(EncodingCases))]
    public void Validate_NonCanonicalEncoding_ReportsTheEncodingRule(string name, byte[] bytes, EnvelopeFailure expected)
    {
        _ = name;
        Assert.Equal(expected, EnvelopeValidator.Validate(bytes));
    }

    public static TheoryData<string, EnvelopeFailure> ValueCases() => new()
    {
        { "sender name of 65 characters", EnvelopeFailure.InvalidSenderAddress },
        { "sender name with a space", EnvelopeFailure.InvalidSenderAddress },
        { "sender name with a non-ASCII letter", EnvelopeFailure.InvalidSenderAddress },
        { "sender without a name", EnvelopeFailure.InvalidSenderAddress },
        { "sender without a device", EnvelopeFailure.InvalidSenderAddress },
        { "sender without a kind", EnvelopeFailure.InvalidSenderAddress },
        { "sender kind 3", EnvelopeFailure.InvalidSenderAddress },
        { "sender kind -1", EnvelopeFailure.InvalidSenderAddress },
        { "empty sender", EnvelopeFailure.InvalidSenderAddress },
        { "no sender", EnvelopeFailure.InvalidSenderAddress },
        { "recipient name with an upper-case letter", EnvelopeFailure.InvalidRecipientAddress },
        { "recipient without a kind", EnvelopeFailure.InvalidRecipientAddress },
        { "no recipient", EnvelopeFailure.InvalidRecipientAddress },
        { "no type", EnvelopeFailure.InvalidType },
        { "type -1", EnvelopeFailure.InvalidType },
        { "no message id", EnvelopeFailure.InvalidMessageId },
        { "message id of 17 bytes", EnvelopeFailure.InvalidMessageId },
        { "no content", EnvelopeFailure.ContentMismatch },
        { "two content fields", EnvelopeFailure.ContentMismatch },
        { "sender-key content in a ratchet envelope", EnvelopeFailure.ContentMismatch },
        { "no KEM pre-key id", EnvelopeFailure.InvalidPreKeyId },
        { "no identity key", EnvelopeFailure.InvalidIdentityKeyLength },
        { "base key of 31 bytes", EnvelopeFailure.InvalidBaseKeyLength },
        { "empty pre-key message", EnvelopeFailure.InvalidIdentityKeyLength },
        { "pre-key ratchet header of 81 bytes", EnvelopeFailure.InvalidHeaderLength },
        { "pre-key ratchet ciphertext of 81 bytes", EnvelopeFailure.InvalidCiphertextLength },
        { "no ratchet header", EnvelopeFailure.InvalidHeaderLength },
        { "no ratchet ciphertext", EnvelopeFailure.InvalidCiphertextLength },
        { "ratchet ciphertext of a bucket plus 15", EnvelopeFailure.InvalidCiphertextLength },
        { "ratchet ciphertext of 24576 + 16", EnvelopeFailure.InvalidCiphertextLength },
        { "no distribution id", EnvelopeFailure.InvalidDistributionId },
        { "no sender-key ciphertext", EnvelopeFailure.InvalidCiphertextLength },
        { "sender-key ciphertext of 40960 + 16", EnvelopeFailure.InvalidCiphertextLength },
        { "no signature", EnvelopeFailure.InvalidSignatureLength },
    };

    private static readonly Dictionary<string, Func<byte[]>> s_valueCases = new()
    {
        ["sender name of 65 characters"] = () => With(E2eChat.Wire.Proto.EnvelopeType.Ratchet, e => e.Sender.Name = new string('a', 65)),
        ["sender name with a space"] = () => With(E2eChat.Wire.Proto.EnvelopeType.Ratchet, e => e.Sender.Name = "al ice"),
        ["sender name with a non-ASCII letter"] = () => With(E2eChat.Wire.Proto.EnvelopeType.Ratchet, e => e.Sender.Name = "al\u00efce"),
        ["sender without a name"] = () => With(E2eChat.Wire.Proto.EnvelopeType.Ratchet, e => e.Sender.Name = string.Empty),
        ["sender without a device"] = () => With(E2eChat.Wire.Proto.EnvelopeType.Ratchet, e => e.Sender.Device = 0),
        ["sender without a kind"] = () => With(E2eChat.Wire.Proto.EnvelopeType.Ratchet, e => e.Sender.Kind = E2eChat.Wire.Proto.AccountKind.Unspecified),
        ["sender kind 3"] = () => With(E2eChat.Wire.Proto.EnvelopeType.Ratchet, e => e.Sender.Kind = (E2eChat.Wire.Proto.AccountKind)3),
        ["sender kind -1"] = () => With(E2eChat.Wire.Proto.EnvelopeType.Ratchet, e => e.Sender.Kind = (E2eChat.Wire.Proto.AccountKind)(-1)),
        ["empty sender"] = () => With(E2eChat.Wire.Proto.EnvelopeType.Ratchet, e => e.Sender = new E2eChat.Wire.Proto.Address()),
        ["no sender"] = () => With(E2eChat.Wire.Proto.EnvelopeType.Ratchet, e => e.Sender = null),
        ["recipient name with an upper-case letter"] = () => With(E2eChat.Wire.Proto.EnvelopeType.Ratchet, e => e.Recipient.Name = "Shop"),
        ["recipient without a kind"] = () => With(E2eChat.Wire.Proto.EnvelopeType.Ratchet, e => e.Recipient.Kind = E2eChat.Wire.Proto.AccountKind.Unspecified),
        ["no recipient"] = () => With(E2eChat.Wire.Proto.EnvelopeType.Ratchet, e => e.Recipient = null),
        ["no type"] = () => With(E2eChat.Wire.Proto.EnvelopeType.Ratchet, e => e.Type = E2eChat.Wire.Proto.EnvelopeType.Unspecified),
        ["type -1"] = () => With(E2eChat.Wire.Proto.EnvelopeType.Ratchet, e => e.Type = (E2eChat.Wire.Proto.EnvelopeType)(-1)),
        ["no message id"] = () => With(E2eChat.Wire.Proto.EnvelopeType.Ratchet, e => e.MessageId = ByteString.Empty),
        ["message id of 17 bytes"] = () => With(E2eChat.Wire.Proto.EnvelopeType.Ratchet, e => e.MessageId = ByteString.CopyFrom(new byte[17])),
        ["no content"] = () => With(E2eChat.Wire.Proto.EnvelopeType.Ratchet, e => e.Ratchet = null),
        ["two content fields"] = () => With(E2eChat.Wire.Proto.EnvelopeType.Ratchet, e => e.SenderKey = SenderKey(new Random(1), 80)),
        ["sender-key content in a ratchet envelope"] = () => With(E2eChat.Wire.Proto.EnvelopeType.SenderKey, e => e.Type = E2eChat.Wire.Proto.EnvelopeType.Ratchet),
        ["no KEM pre-key id"] = () => With(E2eChat.Wire.Proto.EnvelopeType.Prekey, e => e.Prekey.KemPrekeyId = 0),
        ["no identity key"] = () => With(E2eChat.Wire.Proto.EnvelopeType.Prekey, e => e.Prekey.IdentityKey = ByteString.Empty),
        ["base key of 31 bytes"] = () => With(E2eChat.Wire.Proto.EnvelopeType.Prekey, e => e.Prekey.BaseKey = ByteString.CopyFrom(new byte[31])),
        ["empty pre-key message"] = () => With(E2eChat.Wire.Proto.EnvelopeType.Prekey, e => e.Prekey = new E2eChat.Wire.Proto.PreKeyMessage()),
        ["pre-key ratchet header of 81 bytes"] = () => With(E2eChat.Wire.Proto.EnvelopeType.Prekey, e => e.Prekey.Message.Header = ByteString.CopyFrom(new byte[81])),
        ["pre-key ratchet ciphertext of 81 bytes"] = () => With(E2eChat.Wire.Proto.EnvelopeType.Prekey, e => e.Prekey.Message.Ciphertext = ByteString.CopyFrom(new byte[81])),
        ["no ratchet header"] = () => With(E2eChat.Wire.Proto.EnvelopeType.Ratchet, e => e.Ratchet.Header = ByteString.Empty),
        ["no ratchet ciphertext"] = () => With(E2eChat.Wire.Proto.EnvelopeType.Ratchet, e => e.Ratchet.Ciphertext = ByteString.Empty),
        ["ratchet ciphertext of a bucket plus 15"] = () => With(E2eChat.Wire.Proto.EnvelopeType.Ratchet, e => e.Ratchet.Ciphertext = ByteString.CopyFrom(new byte[128 + 15])),
        ["ratchet ciphertext of 24576 + 16"] = () => With(E2eChat.Wire.Proto.EnvelopeType.Ratchet, e => e.Ratchet.Ciphertext = ByteString.CopyFrom(new byte[24576 + 16])),
        ["no distribution id"] = () => With(E2eChat.Wire.Proto.EnvelopeType.SenderKey, e => e.SenderKey.DistributionId = ByteString.Empty),
        ["no sender-key ciphertext"] = () => With(E2eChat.Wire.Proto.EnvelopeType.SenderKey, e => e.SenderKey.Ciphertext = ByteString.Empty),
        ["sender-key ciphertext of 40960 + 16"] = () => With(E2eChat.Wire.Proto.EnvelopeType.SenderKey, e => e.SenderKey.Ciphertext = ByteString.CopyFrom(new byte[40960 + 16])),
        ["no signature"] = () => With(E2eChat.Wire.Proto.EnvelopeType.SenderKey, e => e.SenderKey.Signature = ByteString.Empty),
    };

    [Theory]
    [MemberData(nameof(ValueCases))]
    public void Validate_WrongValue_ReportsTheFieldRule(string name, EnvelopeFailure expected)
    {
        Assert.Equal(expected, EnvelopeValidator.Validate(s_valueCases[name]()));
    }

    [Fact]
    public void Validate_OptionalFieldsAbsent_IsValid()
    {
        byte[] preKey = With(E2eChat.Wire.Proto.EnvelopeType.Prekey, e => e.Prekey.OneTimePrekeyId = 0);
        byte[] senderKey = With(E2eChat.Wire.Proto.EnvelopeType.SenderKey, e =>
        {
            e.SenderKey.Iteration = 0;
            e.SenderKey.ExpiresAtMs = 0;
        });

        Assert.Equal(EnvelopeFailure.None, EnvelopeValidator.Validate(preKey));
        Assert.True(EnvelopeValidator.TryValidate(senderKey, out EnvelopeView info, out _));
        Assert.Equal(0UL, info.ExpiresAtMilliseconds);
    }

    [Fact]
    public void Validate_ExtremeValues_AreValid()
    {
        byte[] bytes = With(E2eChat.Wire.Proto.EnvelopeType.SenderKey, e =>
        {
            e.TimestampMs = ulong.MaxValue;
            e.SenderKey.ChainId = uint.MaxValue;
            e.SenderKey.Iteration = uint.MaxValue;
            e.SenderKey.ExpiresAtMs = ulong.MaxValue;
            e.Sender.Name = new string('z', 64);
            e.Recipient.Name = "0";
        });

        Assert.True(EnvelopeValidator.TryValidate(bytes, out EnvelopeView info, out _));
        Assert.Equal(ulong.MaxValue, info.TimestampMilliseconds);
        Assert.Equal(ulong.MaxValue, info.ExpiresAtMilliseconds);
        Assert.Equal(64, info.Sender.GetName(bytes).Length);
    }

    [Fact]
    public void Validate_EverySingleByteMutationOfARatchetEnvelope_ValidatesOrFailsTyped()
    {
        byte[] original = Valid(E2eChat.Wire.Proto.EnvelopeType.Ratchet, seed: 3).ToByteArray();
        byte[] mutated = (byte[])original.Clone();
        var seen = new HashSet<EnvelopeFailure>();
        for (int i = 0; i < original.Length; i++)
        {
            for (int value = 0; value < 256; value++)
            {
                mutated[i] = (byte)value;
                EnvelopeFailure failure = EnvelopeValidator.Validate(mutated);

                Assert.True(Enum.IsDefined(failure));
                if (failure == EnvelopeFailure.None)
                {
                    AssertCanonical(mutated);
                }

                seen.Add(failure);
            }

            mutated[i] = original[i];
        }

        // The mutations reach deep into the rules, not just the first byte's.
        Assert.Superset(
            new HashSet<EnvelopeFailure>
            {
                EnvelopeFailure.None, EnvelopeFailure.Truncated, EnvelopeFailure.UnknownField, EnvelopeFailure.WrongWireType,
                EnvelopeFailure.FieldsOutOfOrder, EnvelopeFailure.DuplicateField, EnvelopeFailure.DefaultValueWritten,
                EnvelopeFailure.UnsupportedVersion, EnvelopeFailure.InvalidType, EnvelopeFailure.ContentMismatch,
                EnvelopeFailure.InvalidSenderAddress, EnvelopeFailure.InvalidRecipientAddress, EnvelopeFailure.InvalidHeaderLength,
            },
            seen);
    }

    [Fact]
    public void Validate_ManyEnvelopes_AllocatesNothing()
    {
        byte[][] inputs =
        [
            .. Types.Select(t => Valid(t).ToByteArray()),
            .. s_cases.Values.Select(make => make()),
            [],
            [0xFF, 0xFF, 0xFF],
        ];
        foreach (byte[] input in inputs)
        {
            _ = EnvelopeValidator.Validate(input);
            _ = EnvelopeValidator.TryValidate(input, out _, out _);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        int valid = 0;
        for (int round = 0; round < 200; round++)
        {
            foreach (byte[] input in inputs)
            {
                if (EnvelopeValidator.Validate(input) == EnvelopeFailure.None
                    && EnvelopeValidator.TryValidate(input, out EnvelopeView info, out _)
                    && info.Length == input.Length)
                {
                    valid++;
                }
            }
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(200 * Types.Length, valid);
    }

    [Property(MaxTest = 2000)]
    public bool Validate_RandomBytes_NeverThrowsAndAgreesWithTryValidate(byte[] bytes)
    {
        EnvelopeFailure failure = EnvelopeValidator.Validate(bytes);
        bool valid = EnvelopeValidator.TryValidate(bytes, out _, out EnvelopeFailure tryFailure);

        return Enum.IsDefined(failure) && failure == tryFailure && valid == (failure == EnvelopeFailure.None);
    }

    [Property(MaxTest = 500)]
    public bool Validate_ValidPrefixThenRandomBytes_NeverThrows(byte[] tail, int cut)
    {
        byte[] valid = Valid(E2eChat.Wire.Proto.EnvelopeType.Prekey, seed: 9).ToByteArray();
        byte[] bytes = Concat(valid[..(int)(unchecked((uint)cut) % (uint)valid.Length)], tail);

        return Enum.IsDefined(EnvelopeValidator.Validate(bytes));
    }

    [Property(MaxTest = 300)]
    public Property TryValidate_RandomValidEnvelope_ValidatesAndReportsItsFields() =>
        Prop.ForAll(Arb.From(ValidEnvelopes(CiphertextLengths)), envelope =>
        {
            byte[] bytes = envelope.ToByteArray();

            Assert.True(EnvelopeValidator.TryValidate(bytes, out EnvelopeView info, out EnvelopeFailure failure), failure.ToString());
            Assert.Equal((int)envelope.Type, (int)info.Type);
            Assert.Equal(envelope.Sender.Name, System.Text.Encoding.ASCII.GetString(info.Sender.GetName(bytes)));
            Assert.Equal(envelope.Sender.Device, info.Sender.Device);
            Assert.Equal((int)envelope.Sender.Kind, (int)info.Sender.Kind);
            Assert.Equal(envelope.Recipient.Name, System.Text.Encoding.ASCII.GetString(info.Recipient.GetName(bytes)));
            Assert.Equal(envelope.Recipient.Device, info.Recipient.Device);
            Assert.Equal((int)envelope.Recipient.Kind, (int)info.Recipient.Kind);
            Assert.Equal(envelope.MessageId.ToByteArray(), info.GetMessageId(bytes).ToArray());
            Assert.Equal(envelope.TimestampMs, info.TimestampMilliseconds);
            Assert.Equal(bytes.Length, info.Length);
            int ciphertextLength = (envelope.Prekey?.Message.Ciphertext ?? envelope.Ratchet?.Ciphertext ?? envelope.SenderKey.Ciphertext).Length;
            Assert.Equal(ciphertextLength, info.CiphertextLength);
            Assert.Equal(envelope.SenderKey?.ExpiresAtMs ?? 0, info.ExpiresAtMilliseconds);
        });

    [Property(MaxTest = 1000)]
    public Property Validate_SingleByteMutationOfRandomValidEnvelope_ValidatesCanonicallyOrFailsTyped() =>
        Prop.ForAll(
            Arb.From(
                from envelope in ValidEnvelopes([80, 144])
                from position in Gen.Choose(0, int.MaxValue)
                from value in Gen.Choose(0, 255)
                select (Envelope: envelope, Position: position, Value: value)),
            c =>
            {
                byte[] bytes = c.Envelope.ToByteArray();
                bytes[c.Position % bytes.Length] = (byte)c.Value;

                EnvelopeFailure failure = EnvelopeValidator.Validate(bytes);

                Assert.True(Enum.IsDefined(failure));
                if (failure == EnvelopeFailure.None)
                {
                    AssertCanonical(bytes);
                }
            });

    [Theory]
    [MemberData(nameof(EnvelopeTypes))]
    public void Validate_EveryProperPrefix_Fails(EnvelopeType relayType)
    {
        byte[] bytes = Valid((E2eChat.Wire.Proto.EnvelopeType)(int)relayType).ToByteArray();

        for (int length = 0; length < bytes.Length; length++)
        {
            Assert.NotEqual(EnvelopeFailure.None, EnvelopeValidator.Validate(bytes.AsSpan(0, length)));
        }
    }

    [Fact]
    public void Assembly_ReferencesNoKeyOrSerializationLibrary()
    {
        string[] references = [.. typeof(EnvelopeValidator).Assembly.GetReferencedAssemblies().Select(a => a.Name ?? string.Empty)];
        string[] wireReferences = [.. typeof(WireEnvelope).Assembly.GetReferencedAssemblies().Select(a => a.Name ?? string.Empty)];

        Assert.NotEmpty(references);
        Assert.All(references, name => Assert.True(name.StartsWith("System.", StringComparison.Ordinal) || name == "E2eChat.Wire", name));
        Assert.NotEmpty(wireReferences);
        Assert.All(wireReferences, name => Assert.True(name.StartsWith("System.", StringComparison.Ordinal), name));
    }

    /// <summary>
    /// An accepted envelope is in the canonical encoding: Google.Protobuf parses it and writes the
    /// same bytes back.
    /// </summary>
    internal static void AssertCanonical(byte[] bytes)
    {
        E2eChat.Wire.Proto.Envelope parsed = E2eChat.Wire.Proto.Envelope.Parser.ParseFrom(bytes);
        Assert.Equal(bytes, parsed.ToByteArray());
    }

    private static byte[] Sender() =>
        new E2eChat.Wire.Proto.Address { Name = "bob", Device = 2, Kind = E2eChat.Wire.Proto.AccountKind.Person }.ToByteArray();
}
