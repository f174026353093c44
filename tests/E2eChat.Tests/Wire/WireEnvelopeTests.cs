using System.Text;
using E2eChat.Wire;
using Google.Protobuf;
using Proto = E2eChat.Wire.Proto;

namespace E2eChat.Tests.Wire;

public sealed class WireEnvelopeTests
{
    [Fact]
    public void Write_MatchesGoogleProtobufAndReadsBack()
    {
        byte[] content = WireRatchetMessage.Write(WireTestBytes.Fill(80, 1), WireTestBytes.Fill(64 + 16, 2));
        byte[] messageId = WireTestBytes.Fill(16, 3);

        byte[] encoded = WireEnvelope.Write(
            EnvelopeType.Ratchet,
            new AddressValue("alice"u8, 1, AccountKind.Person),
            new AddressValue("shop.example"u8, 255, AccountKind.Business),
            messageId,
            1_764_900_000_000,
            content);

        var expected = new Proto.Envelope
        {
            Version = 1,
            Type = Proto.EnvelopeType.Ratchet,
            Sender = new Proto.Address { Name = "alice", Device = 1, Kind = Proto.AccountKind.Person },
            Recipient = new Proto.Address { Name = "shop.example", Device = 255, Kind = Proto.AccountKind.Business },
            MessageId = ByteString.CopyFrom(messageId),
            TimestampMs = 1_764_900_000_000,
            Ratchet = Proto.RatchetMessage.Parser.ParseFrom(content),
        };
        Assert.Equal(expected.ToByteArray(), encoded);
        Assert.True(WireEnvelope.TryRead(encoded, out EnvelopeView view, out EnvelopeFailure failure));
        Assert.Equal(EnvelopeFailure.None, failure);
        Assert.Equal(EnvelopeType.Ratchet, view.Type);
        Assert.Equal("alice", Encoding.ASCII.GetString(view.Sender.GetName(encoded)));
        Assert.Equal(AccountKind.Business, view.Recipient.Kind);
        Assert.Equal(255u, view.Recipient.Device);
        Assert.Equal(messageId, view.GetMessageId(encoded).ToArray());
        Assert.Equal(content, view.GetContent(encoded).ToArray());
        Assert.Equal(64 + 16, view.CiphertextLength);
    }

    [Fact]
    public void Write_UndefinedType_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => WireEnvelope.Write(
            EnvelopeType.Unspecified,
            new AddressValue("a"u8, 1, AccountKind.Person),
            new AddressValue("b"u8, 1, AccountKind.Person),
            WireTestBytes.Fill(16, 1),
            1,
            [1]));
    }
}
