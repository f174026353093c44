using System.Diagnostics.CodeAnalysis;
using System.Text;
using E2eChat.Errors;
using E2eChat.Relay;
using Google.Protobuf;

namespace E2eChat.Envelopes;

/// <summary>
/// Encodes envelopes canonically (PROTOCOL.md section 8) and decodes received ones after the same
/// keyless validation a relay runs (<see cref="EnvelopeValidator"/>), so a client never parses
/// anything a relay would have refused.
/// </summary>
/// <remarks>
/// Neither direction parses the message body. Encoding writes the routing fields and appends the
/// body as the content field as it is, then runs <see cref="EnvelopeValidator"/> on the result: an
/// envelope a relay would refuse (a body that is not the canonical encoding of section 8, or an
/// envelope that is too large) is refused, never re-encoded into something else. Decoding reads every
/// field from the validator's result and the body from the content field's bytes: the envelope was
/// validated as canonical, so they are exactly the bytes re-serializing it would give.
/// </remarks>
public static class EnvelopeCodec
{
    private const int ContentFieldOffset = 6;

    /// <summary>Encodes an envelope.</summary>
    /// <param name="envelope">The envelope.</param>
    /// <returns>The canonical protobuf bytes, which pass <see cref="EnvelopeValidator"/>.</returns>
    /// <exception cref="E2eChatException">
    /// The envelope would not pass <see cref="EnvelopeValidator"/>; <see cref="E2eChatException.Reason"/>
    /// is the <see cref="EnvelopeFailure"/> a relay would report (for example a message body that is not
    /// canonically encoded, or an envelope above <see cref="RelayLimits.MaxEnvelopeLength"/> bytes).
    /// </exception>
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
        byte[] encoded = AppendContent(wire, envelope.Message);
        EnvelopeFailure failure = EnvelopeValidator.Validate(encoded);
        if (failure != EnvelopeFailure.None)
        {
            throw new E2eChatException(failure);
        }

        return encoded;
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

        envelope = new Envelope(
            new ProtocolAddress(Encoding.ASCII.GetString(info.Sender.GetName(encoded)), info.Sender.Device),
            info.Sender.Kind,
            new ProtocolAddress(Encoding.ASCII.GetString(info.Recipient.GetName(encoded)), info.Recipient.Device),
            info.Recipient.Kind,
            info.GetMessageId(encoded),
            info.TimestampMilliseconds,
            new CiphertextMessage(info.Type, encoded[ContentStart(encoded)..]));
        return true;
    }

    /// <summary>The routing fields of <paramref name="wire"/> followed by the body as its content field.</summary>
    private static byte[] AppendContent(Wire.Envelope wire, CiphertextMessage message)
    {
        int field = (int)message.Type + ContentFieldOffset;
        ByteString body = UnsafeByteOperations.UnsafeWrap(message.Body);
        int length = wire.CalculateSize() + CodedOutputStream.ComputeTagSize(field) + CodedOutputStream.ComputeBytesSize(body);
        byte[] encoded = new byte[length];
        using var output = new CodedOutputStream(encoded);
        wire.WriteTo(output);
        output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(body);
        output.CheckNoSpaceLeft();
        return encoded;
    }

    /// <summary>
    /// Where the content field's value starts in a validated envelope: the content field is its last
    /// field (the highest number, present exactly once), so its value runs to the end.
    /// </summary>
    private static int ContentStart(ReadOnlySpan<byte> validated)
    {
        int position = 0;
        while (true)
        {
            ulong tag = ReadVarint(validated, ref position);
            if ((int)(tag >> 3) > ContentFieldOffset)
            {
                _ = ReadVarint(validated, ref position);
                return position;
            }

            ulong value = ReadVarint(validated, ref position);
            if ((WireFormat.WireType)(tag & 7) == WireFormat.WireType.LengthDelimited)
            {
                position += (int)value;
            }
        }
    }

    /// <summary>Reads a varint the validator has already checked (minimal, in bounds).</summary>
    private static ulong ReadVarint(ReadOnlySpan<byte> input, ref int position)
    {
        ulong value = 0;
        for (int shift = 0; ; shift += 7)
        {
            byte b = input[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }
    }

    private static Wire.Address ToWire(ProtocolAddress address, AccountKind kind) => new()
    {
        Name = address.Name,
        Device = address.DeviceId,
        Kind = (Wire.AccountKind)kind,
    };
}
