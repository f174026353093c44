using System.Diagnostics.CodeAnalysis;
using E2eChat.Relay;
using Google.Protobuf;

namespace E2eChat.Envelopes;

/// <summary>
/// Encodes envelopes canonically (PROTOCOL.md section 8) and decodes received ones after the same
/// keyless validation a relay runs (<see cref="EnvelopeValidator"/>), so a client never parses
/// anything a relay would have refused.
/// </summary>
public static class EnvelopeCodec
{
    /// <summary>Encodes an envelope.</summary>
    /// <param name="envelope">The envelope.</param>
    /// <returns>The canonical protobuf bytes.</returns>
    public static byte[] Encode(Envelope envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        var wire = new Wire.Envelope
        {
            Version = EnvelopeValidator.SupportedVersion,
            Type = (Wire.EnvelopeType)envelope.Message.Type,
            Sender = ToWire(envelope.Sender, envelope.SenderKind),
            Recipient = ToWire(envelope.Recipient, envelope.RecipientKind),
            MessageId = ByteString.CopyFrom(envelope.MessageId.Span),
            TimestampMs = envelope.TimestampMilliseconds,
        };
        ReadOnlySpan<byte> body = envelope.Message.Body.Span;
        switch (envelope.Message.Type)
        {
            case EnvelopeType.PreKey:
                wire.Prekey = Wire.PreKeyMessage.Parser.ParseFrom(body);
                break;
            case EnvelopeType.Ratchet:
                wire.Ratchet = Wire.RatchetMessage.Parser.ParseFrom(body);
                break;
            default:
                wire.SenderKey = Wire.SenderKeyMessage.Parser.ParseFrom(body);
                break;
        }

        return wire.ToByteArray();
    }

    /// <summary>Validates and decodes a received envelope; never throws for hostile input.</summary>
    /// <param name="encoded">The bytes as received.</param>
    /// <param name="envelope">The decoded envelope on success.</param>
    /// <param name="failure">Why the envelope was refused.</param>
    /// <returns><see langword="true"/> on success.</returns>
    public static bool TryDecode(ReadOnlySpan<byte> encoded, [NotNullWhen(true)] out Envelope? envelope, out EnvelopeFailure failure)
    {
        envelope = null;
        if (!EnvelopeValidator.TryValidate(encoded, out EnvelopeInfo info, out failure))
        {
            return false;
        }

        // The validator accepted the exact canonical shape, so this parse cannot fail.
        Wire.Envelope wire = Wire.Envelope.Parser.ParseFrom(encoded);
        byte[] body = info.Type switch
        {
            EnvelopeType.PreKey => wire.Prekey.ToByteArray(),
            EnvelopeType.Ratchet => wire.Ratchet.ToByteArray(),
            _ => wire.SenderKey.ToByteArray(),
        };
        envelope = new Envelope(
            new ProtocolAddress(wire.Sender.Name, wire.Sender.Device),
            (AccountKind)wire.Sender.Kind,
            new ProtocolAddress(wire.Recipient.Name, wire.Recipient.Device),
            (AccountKind)wire.Recipient.Kind,
            wire.MessageId.Span,
            wire.TimestampMs,
            new CiphertextMessage(info.Type, body));
        return true;
    }

    private static Wire.Address ToWire(ProtocolAddress address, AccountKind kind) => new()
    {
        Name = address.Name,
        Device = address.DeviceId,
        Kind = (Wire.AccountKind)kind,
    };
}
