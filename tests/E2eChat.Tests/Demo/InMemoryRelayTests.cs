using E2eChat.Demo;
using E2eChat.Relay;
using E2eChat.Wire;
using E2eChat.Tests.Relay;
using Google.Protobuf;

namespace E2eChat.Tests.Demo;

public sealed class InMemoryRelayTests
{
    private static readonly ProtocolAddress s_shop = new("shop.example_2-b", 255);

    [Theory]
    [InlineData(EnvelopeType.PreKey, 80)]
    [InlineData(EnvelopeType.Ratchet, 4112)]
    [InlineData(EnvelopeType.SenderKey, 144)]
    public void CiphertextField_ValidEnvelope_IsTheCiphertextBytes(EnvelopeType type, int ciphertextLength)
    {
        E2eChat.Wire.Proto.Envelope wire = TestEnvelopes.Valid((E2eChat.Wire.Proto.EnvelopeType)type, seed: 11, ciphertextLength);
        byte[] bytes = wire.ToByteArray();
        ByteString expected = type switch
        {
            EnvelopeType.PreKey => wire.Prekey.Message.Ciphertext,
            EnvelopeType.Ratchet => wire.Ratchet.Ciphertext,
            _ => wire.SenderKey.Ciphertext,
        };
        Assert.True(EnvelopeValidator.TryValidate(bytes, out EnvelopeView info, out _));

        Assert.Equal(expected.ToByteArray(), InMemoryRelay.CiphertextField(bytes, info).ToArray());
    }

    [Fact]
    public void TrySubmit_ValidEnvelope_StoresRecordsAndQueuesForRecipient()
    {
        E2eChat.Wire.Proto.Envelope wire = TestEnvelopes.Valid(E2eChat.Wire.Proto.EnvelopeType.Ratchet, seed: 3, ciphertextLength: 144);
        byte[] bytes = wire.ToByteArray();
        var relay = new InMemoryRelay();

        Assert.True(relay.TrySubmit(bytes, out RelayRecord? record, out EnvelopeFailure failure));

        Assert.Equal(EnvelopeFailure.None, failure);
        Assert.NotNull(record);
        Assert.Equal(1, record.Sequence);
        Assert.Equal(EnvelopeType.Ratchet, record.Type);
        Assert.Equal(bytes.Length, record.Length);
        Assert.Equal(new ProtocolAddress("alice", 1), record.Sender);
        Assert.Equal(AccountKind.Person, record.SenderKind);
        Assert.Equal(s_shop, record.Recipient);
        Assert.Equal(144, record.CiphertextLength);
        Assert.Equal(wire.Ratchet.Ciphertext.Span[..16].ToArray(), record.CiphertextPrefix);
        Assert.Equal(bytes, Assert.Single(relay.Stored));
        Assert.Empty(relay.BusinessMessageCounts);

        (RelayRecord queuedRecord, byte[] queued) = Assert.Single(relay.Collect(s_shop));
        Assert.Same(record, queuedRecord);
        Assert.Equal(bytes, queued);
        Assert.Empty(relay.Collect(s_shop));
        Assert.Single(relay.Stored);
    }

    [Fact]
    public void TrySubmit_InvalidEnvelope_IsRefusedAndNotStored()
    {
        byte[] bytes = TestEnvelopes.Valid(E2eChat.Wire.Proto.EnvelopeType.Ratchet).ToByteArray();
        bytes[1] = 2; // version
        var relay = new InMemoryRelay();

        Assert.False(relay.TrySubmit(bytes, out RelayRecord? record, out EnvelopeFailure failure));

        Assert.Equal(EnvelopeFailure.UnsupportedVersion, failure);
        Assert.Null(record);
        Assert.Equal(1, relay.Refused);
        Assert.Empty(relay.Stored);
        Assert.Empty(relay.Records);
        Assert.Empty(relay.Collect(s_shop));
    }

    [Fact]
    public void TrySubmit_BusinessSender_IsMeteredPerBusiness()
    {
        var relay = new InMemoryRelay();
        foreach ((string name, int seed) in new[] { ("shop-a", 1), ("shop-b", 2), ("shop-a", 3) })
        {
            E2eChat.Wire.Proto.Envelope wire = TestEnvelopes.Valid(E2eChat.Wire.Proto.EnvelopeType.Ratchet, seed);
            wire.Sender = new E2eChat.Wire.Proto.Address { Name = name, Device = 2, Kind = E2eChat.Wire.Proto.AccountKind.Business };
            Assert.True(relay.TrySubmit(wire.ToByteArray(), out _, out _));
        }

        Assert.True(relay.TrySubmit(TestEnvelopes.Valid(E2eChat.Wire.Proto.EnvelopeType.Ratchet, seed: 4).ToByteArray(), out _, out _));

        Assert.Equal(new Dictionary<string, int> { ["shop-a"] = 2, ["shop-b"] = 1 }, relay.BusinessMessageCounts);
        Assert.Equal(4, relay.Stored.Count);
    }
}
