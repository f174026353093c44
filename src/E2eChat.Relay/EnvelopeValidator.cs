using E2eChat.Wire;

namespace E2eChat.Relay;

/// <summary>
/// The relay's envelope check (PROTOCOL.md section 8): every rule is the wire layer's
/// (<see cref="WireEnvelope"/>), so the relay holds no copy of the client's rules and accepts exactly
/// what a client does. It allocates nothing, never throws, and takes time linear in the envelope's
/// length.
/// </summary>
/// <remarks>
/// A valid envelope is not an authentic one: only the recipient, holding the keys, can tell whether
/// the ciphertexts open. The relay uses what it learns (<see cref="EnvelopeView"/>) to route, meter,
/// de-duplicate and drop malformed traffic early.
/// </remarks>
public static class EnvelopeValidator
{
    /// <summary>The only protocol version this validator accepts.</summary>
    public const uint SupportedVersion = WireEnvelope.SupportedVersion;

    /// <summary>Validates an envelope.</summary>
    /// <param name="envelope">The envelope as received; any bytes, of any length.</param>
    /// <returns><see cref="EnvelopeFailure.None"/> when valid, otherwise the first rule broken.</returns>
    public static EnvelopeFailure Validate(ReadOnlySpan<byte> envelope) => WireEnvelope.Validate(envelope);

    /// <summary>Validates an envelope and reports what a relay learns from it.</summary>
    /// <param name="envelope">The envelope as received; any bytes, of any length.</param>
    /// <param name="info">
    /// On success, the envelope's routing and metering data (ranges point into
    /// <paramref name="envelope"/>); otherwise <see langword="default"/>.
    /// </param>
    /// <param name="failure">On failure, the first rule broken; otherwise <see cref="EnvelopeFailure.None"/>.</param>
    /// <returns><see langword="true"/> when the envelope is valid.</returns>
    public static bool TryValidate(ReadOnlySpan<byte> envelope, out EnvelopeView info, out EnvelopeFailure failure) =>
        WireEnvelope.TryRead(envelope, out info, out failure);
}
