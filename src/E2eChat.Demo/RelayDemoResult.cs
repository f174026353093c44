namespace E2eChat.Demo;

/// <summary>What the demo on the real relay observed; <see cref="Succeeded"/> decides the exit code.</summary>
/// <param name="MessagesShown">Messages the participants' devices showed.</param>
/// <param name="DuplicatesIgnored">Redelivered messages recognized and not shown again.</param>
/// <param name="RefusedByRelay">Messages the relay refused by policy (consent).</param>
/// <param name="DroppedByDevice">Business messages the customer's device dropped (blocked).</param>
/// <param name="StatusSeen">Status posts the participants' devices showed (before they expired).</param>
/// <param name="RelayFilesBytes">Bytes of the relay's database files searched by the leak check.</param>
/// <param name="Leaks">Plaintexts found in the relay's files.</param>
/// <param name="Problems">Steps whose outcome was not the expected one.</param>
internal sealed record RelayDemoResult(
    int MessagesShown,
    long DuplicatesIgnored,
    int RefusedByRelay,
    int DroppedByDevice,
    int StatusSeen,
    long RelayFilesBytes,
    IReadOnlyList<LeakFinding> Leaks,
    IReadOnlyList<string> Problems)
{
    /// <summary>True when every step went as expected and nothing leaked.</summary>
    internal bool Succeeded => Problems.Count == 0 && Leaks.Count == 0;
}
