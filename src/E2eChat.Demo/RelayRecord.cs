using E2eChat.Relay;
using E2eChat.Wire;

namespace E2eChat.Demo;

/// <summary>What the relay saw of one accepted envelope: only routing data and sizes.</summary>
/// <param name="Sequence">The envelope's number at the relay, from 1.</param>
/// <param name="Type">Pre-key (first messages of a session) or ratchet.</param>
/// <param name="Length">The whole envelope's size in bytes.</param>
/// <param name="Sender">The sending device.</param>
/// <param name="SenderKind">Person or business (businesses are metered).</param>
/// <param name="Recipient">The receiving device.</param>
/// <param name="CiphertextLength">The ciphertext field's length: a padding bucket plus the 16-byte tag.</param>
/// <param name="CiphertextPrefix">The first 16 bytes of the ciphertext field.</param>
internal sealed record RelayRecord(
    int Sequence,
    EnvelopeType Type,
    int Length,
    ProtocolAddress Sender,
    AccountKind SenderKind,
    ProtocolAddress Recipient,
    int CiphertextLength,
    byte[] CiphertextPrefix)
{
    /// <summary>One line: number, type, size, route and the ciphertext's first bytes in hex.</summary>
    public override string ToString() =>
        $"#{Sequence:D2} {Type,-7} {Length,5} B  {$"{Sender} -> {Recipient}",-28}  ct {Convert.ToHexStringLower(CiphertextPrefix)}";
}
