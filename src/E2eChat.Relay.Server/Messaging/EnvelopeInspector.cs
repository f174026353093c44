using System.Text;
using E2eChat.Relay;

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
    internal static bool TryInspect(ReadOnlySpan<byte> envelope, out RoutingFacts? facts, out string? failure) =>
        TryInspect(envelope, null, null, out facts, out failure);

    /// <summary>
    /// Validates <paramref name="envelope"/>; an address whose name is <paramref name="knownName"/> or
    /// <paramref name="otherKnownName"/> gets that string instead of a new one (a batch's envelopes
    /// name the same sender and mostly the same recipient).
    /// </summary>
    /// <param name="envelope">The bytes as received.</param>
    /// <param name="knownName">A name to reuse when it matches, or null.</param>
    /// <param name="otherKnownName">Another name to reuse when it matches, or null.</param>
    /// <param name="facts">What the relay learns, on success.</param>
    /// <param name="failure">The <c>EnvelopeFailure</c> name, on failure.</param>
    /// <returns><see langword="true"/> when valid.</returns>
    internal static bool TryInspect(ReadOnlySpan<byte> envelope, string? knownName, string? otherKnownName, out RoutingFacts? facts, out string? failure)
    {
        facts = null;
        if (!EnvelopeValidator.TryValidate(envelope, out EnvelopeView info, out EnvelopeFailure envelopeFailure))
        {
            failure = envelopeFailure.ToString();
            return false;
        }

        failure = null;
        facts = new RoutingFacts(
            new DeviceAddress(Name(info.Sender.GetName(envelope), knownName, otherKnownName), (int)info.Sender.Device),
            (PartyKind)(int)info.Sender.Kind,
            new DeviceAddress(Name(info.Recipient.GetName(envelope), knownName, otherKnownName), (int)info.Recipient.Device),
            (PartyKind)(int)info.Recipient.Kind,
            info.Type,
            info.GetMessageId(envelope).ToArray(),
            info.TimestampMilliseconds,
            info.ExpiresAtMilliseconds,
            info.CiphertextLength,
            info.Category);
        return true;
    }

    /// <summary>The name's string: <paramref name="known"/> or <paramref name="otherKnown"/> when equal, else a new one.</summary>
    private static string Name(ReadOnlySpan<byte> ascii, string? known, string? otherKnown)
    {
        if (known is not null && Ascii.Equals(ascii, known))
        {
            return known;
        }

        return otherKnown is not null && Ascii.Equals(ascii, otherKnown) ? otherKnown : Encoding.ASCII.GetString(ascii);
    }
}
