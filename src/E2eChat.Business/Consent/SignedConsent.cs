using E2eChat.Wire;

namespace E2eChat;

/// <summary>
/// A consent or block record the customer's device signed (PROTOCOL.md section 16.2): the
/// <c>SignedConsentRecord</c> bytes to submit to the relay and, for a grant or a revoke, to send to the
/// business inside the encrypted chat (<see cref="ToContent"/>). Public data: relays read it.
/// </summary>
public sealed class SignedConsent
{
    private readonly byte[] _bytes;

    internal SignedConsent(ConsentRecord record, byte[] bytes)
    {
        Record = record;
        _bytes = bytes;
    }

    /// <summary>The record signed.</summary>
    public ConsentRecord Record { get; }

    /// <summary>The <c>SignedConsentRecord</c> bytes, read-only.</summary>
    public ReadOnlyMemory<byte> Bytes => _bytes;

    /// <summary>A copy of the <c>SignedConsentRecord</c> bytes.</summary>
    /// <returns>A new array.</returns>
    public byte[] ToBytes() => (byte[])_bytes.Clone();

    /// <summary>The record as a <c>Content.consent</c> (section 13) to encrypt to the business's devices.</summary>
    /// <returns>The content.</returns>
    public Content ToContent() => Content.FromRecord(ContentKind.Consent, _bytes);

    /// <summary>Describes the record.</summary>
    /// <returns>A short description.</returns>
    public override string ToString() => $"Signed {Record}";
}
