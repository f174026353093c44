
namespace E2eChat.Client;

/// <summary>
/// What happened to a consent record (grant, revoke, block, unblock) a <see cref="ChatDevice"/> made:
/// signed and applied on the device, submitted to the relay (<c>Accounts.SubmitConsent</c>, which
/// enforces it from then on) and, for grants and revokes, sent inside the chat to the business, which
/// keeps it as proof.
/// </summary>
public sealed class ConsentSubmission
{
    internal ConsentSubmission(SignedConsent record, bool acceptedByRelay, string? relayReason, bool relayBlocked, IReadOnlyList<SendResult> sentToBusiness, IReadOnlyList<HeldMessage> evidence)
    {
        Record = record;
        AcceptedByRelay = acceptedByRelay;
        RelayReason = relayReason;
        RelayBlocked = relayBlocked;
        SentToBusiness = sentToBusiness;
        Evidence = evidence;
    }

    /// <summary>The signed record (already applied to the device's own consent state).</summary>
    public SignedConsent Record { get; }

    /// <summary>Whether the relay took the record (or already had it: an identical retry).</summary>
    public bool AcceptedByRelay { get; }

    /// <summary>The relay's failure name when it refused the record (e.g. <c>StaleSerial</c>, <c>UnknownAccountKey</c>); otherwise <see langword="null"/>.</summary>
    public string? RelayReason { get; }

    /// <summary>Whether the relay now blocks the business for this customer (its state after the record).</summary>
    public bool RelayBlocked { get; }

    /// <summary>The copies sent to the business's devices in the chat (empty for blocks and unblocks).</summary>
    public IReadOnlyList<SendResult> SentToBusiness { get; }

    /// <summary>For a report: the held messages handed over as evidence; otherwise empty.</summary>
    public IReadOnlyList<HeldMessage> Evidence { get; }

    /// <summary>Names the record and the outcome, never contents.</summary>
    /// <returns>A description.</returns>
    public override string ToString() =>
        $"{Record.Record.Action} #{Record.Record.Serial}: relay {(AcceptedByRelay ? "accepted" : "refused " + RelayReason)}, {SentToBusiness.Count} copies to the business";
}
