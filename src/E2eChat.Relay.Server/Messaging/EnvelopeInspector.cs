using System.Text;
using E2eChat.Relay;
using E2eChat.Wire;

namespace E2eChat.Relay.Server.Messaging;

/// <summary>
/// The relay server's only use of the keyless validator (<see cref="EnvelopeValidator"/>, PROTOCOL.md
/// section 8): validates an envelope and turns what it learns into <see cref="RoutingFacts"/>.
/// </summary>
internal static class EnvelopeInspector
{
    /// <summary>Validates <paramref name="envelope"/>.</summary>
    /// <param name="envelope">The bytes as received.</param>
    /// <param name="facts">What the relay learns, on success.</param>
    /// <param name="failure">The <c>EnvelopeFailure</c> name, on failure.</param>
    /// <returns><see langword="true"/> when valid.</returns>
    internal static bool TryInspect(ReadOnlySpan<byte> envelope, out RoutingFacts? facts, out string? failure)
    {
        facts = null;
        if (!EnvelopeValidator.TryValidate(envelope, out EnvelopeView info, out EnvelopeFailure envelopeFailure))
        {
            failure = envelopeFailure.ToString();
            return false;
        }

        failure = null;
        facts = new RoutingFacts(
            new DeviceAddress(Encoding.ASCII.GetString(info.Sender.GetName(envelope)), (int)info.Sender.Device),
            (PartyKind)(int)info.Sender.Kind,
            new DeviceAddress(Encoding.ASCII.GetString(info.Recipient.GetName(envelope)), (int)info.Recipient.Device),
            (PartyKind)(int)info.Recipient.Kind,
            (EnvelopeKind)(int)info.Type,
            info.GetMessageId(envelope).ToArray(),
            info.TimestampMilliseconds,
            info.ExpiresAtMilliseconds,
            info.CiphertextLength,
            info.Category);
        return true;
    }
}
