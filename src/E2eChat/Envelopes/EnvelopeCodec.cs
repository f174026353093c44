using System.Diagnostics.CodeAnalysis;
using System.Text;
using E2eChat.Wire;

namespace E2eChat;

/// <summary>
/// Encodes envelopes canonically (PROTOCOL.md section 8) and decodes received ones after the same
/// keyless validation a relay runs (<see cref="WireEnvelope"/>), so a client never parses anything a
/// relay would have refused.
/// </summary>
/// <remarks>
/// Neither direction parses the message body. Encoding writes the routing fields and appends the
/// body as the content field as it is, then reads the result back with <see cref="WireEnvelope"/>: an
/// envelope a relay would refuse (a body that is not the canonical encoding of section 8, or an
/// envelope that is too large) is refused, never re-encoded into something else. Decoding takes every
/// field from the wire layer's view and the body from the content field's bytes: the envelope was
/// read as canonical, so they are exactly the bytes re-serializing it would give.
/// </remarks>
public static class EnvelopeCodec
{
    /// <summary>Encodes an envelope.</summary>
    /// <param name="envelope">The envelope.</param>
    /// <returns>The canonical protobuf bytes, which a relay accepts.</returns>
    /// <exception cref="E2eChatException">
    /// A relay would refuse the envelope; <see cref="E2eChatException.Failure"/> is the failure of the
    /// same name as the <see cref="EnvelopeFailure"/> it would report (for example a message body that is not
    /// canonically encoded, or an envelope above <see cref="WireLimits.MaxEnvelopeLength"/> bytes).
    /// </exception>
    public static byte[] Encode(Envelope envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        Span<byte> senderName = stackalloc byte[Encoding.ASCII.GetByteCount(envelope.Sender.Name)];
        Encoding.ASCII.GetBytes(envelope.Sender.Name, senderName);
        Span<byte> recipientName = stackalloc byte[Encoding.ASCII.GetByteCount(envelope.Recipient.Name)];
        Encoding.ASCII.GetBytes(envelope.Recipient.Name, recipientName);
        byte[] encoded = WireEnvelope.Write(
            envelope.Message.Type,
            new AddressValue(senderName, envelope.Sender.DeviceId, envelope.SenderKind),
            new AddressValue(recipientName, envelope.Recipient.DeviceId, envelope.RecipientKind),
            envelope.MessageId.Span,
            envelope.TimestampMilliseconds,
            envelope.Message.Body.Span,
            envelope.Category);
        EnvelopeFailure failure = WireEnvelope.Validate(encoded);
        if (failure != EnvelopeFailure.None)
        {
            throw Error.Of(failure);
        }

        return encoded;
    }

    /// <summary>Validates and decodes a received envelope; never throws for hostile input.</summary>
    /// <param name="encoded">The bytes as received.</param>
    /// <param name="envelope">The decoded envelope on success.</param>
    /// <param name="failure">
    /// Why the envelope was refused: the failure of the same name as the wire layer's
    /// <see cref="EnvelopeFailure"/> (PROTOCOL.md section 8), <see cref="E2eChatFailure.None"/> on success.
    /// </param>
    /// <returns><see langword="true"/> on success.</returns>
    public static bool TryDecode(ReadOnlySpan<byte> encoded, [NotNullWhen(true)] out Envelope? envelope, out E2eChatFailure failure)
    {
        envelope = null;
        if (!WireEnvelope.TryRead(encoded, out EnvelopeView view, out EnvelopeFailure wireFailure))
        {
            failure = Error.From(wireFailure);
            return false;
        }

        failure = E2eChatFailure.None;

        envelope = new Envelope(
            new ProtocolAddress(Encoding.ASCII.GetString(view.Sender.GetName(encoded)), view.Sender.Device),
            view.Sender.Kind,
            new ProtocolAddress(Encoding.ASCII.GetString(view.Recipient.GetName(encoded)), view.Recipient.Device),
            view.Recipient.Kind,
            view.GetMessageId(encoded),
            view.TimestampMilliseconds,
            new CiphertextMessage(view.Type, view.GetContent(encoded)),
            view.Category);
        return true;
    }
}
