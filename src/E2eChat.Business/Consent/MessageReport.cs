namespace E2eChat;

/// <summary>
/// What <see cref="MessageRequests.ReportAsync"/> gives the app: the block record (to submit to the
/// relay) and the held messages as evidence for the app's report channel. The business is blocked.
/// </summary>
public sealed class MessageReport
{
    internal MessageReport(string business, SignedConsent block, IReadOnlyList<HeldMessage> evidence)
    {
        Business = business;
        Block = block;
        Evidence = evidence;
    }

    /// <summary>The business reported.</summary>
    public string Business { get; }

    /// <summary>The signed block record.</summary>
    public SignedConsent Block { get; }

    /// <summary>The messages that were held from the business when it was reported.</summary>
    public IReadOnlyList<HeldMessage> Evidence { get; }

    /// <summary>Names the business and the number of messages only.</summary>
    /// <returns>A short description.</returns>
    public override string ToString() => $"Report of {Business} ({Evidence.Count} messages)";
}
