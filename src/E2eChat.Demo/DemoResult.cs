namespace E2eChat.Demo;

/// <summary>What the demo script observed; <see cref="Succeeded"/> decides the exit code.</summary>
/// <param name="EnvelopesAccepted">Envelopes the relay validated and stored.</param>
/// <param name="EnvelopesRefused">Envelopes the relay's validator refused.</param>
/// <param name="Decrypted">Deliveries that decrypted (each message copy once).</param>
/// <param name="DuplicatesRefused">Duplicated deliveries refused as duplicates.</param>
/// <param name="BusinessMessages">The relay's metering: messages sent per business account.</param>
/// <param name="SafetyNumbersMatch">Whether both sides computed the same safety number.</param>
/// <param name="Leaks">Plaintexts found in the bytes the relay stored.</param>
/// <param name="Problems">Unexpected outcomes (a failed decryption, a wrong text, an accepted forgery).</param>
internal sealed record DemoResult(
    int EnvelopesAccepted,
    int EnvelopesRefused,
    int Decrypted,
    int DuplicatesRefused,
    IReadOnlyDictionary<string, int> BusinessMessages,
    bool SafetyNumbersMatch,
    IReadOnlyList<LeakFinding> Leaks,
    IReadOnlyList<string> Problems)
{
    /// <summary>True when nothing unexpected happened, the safety numbers match and nothing leaked.</summary>
    internal bool Succeeded => Problems.Count == 0 && Leaks.Count == 0 && SafetyNumbersMatch;
}
