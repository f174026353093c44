namespace E2eChat.Groups;

/// <summary>
/// Why a <c>SenderKeyDistribution</c> message could not be processed (PROTOCOL.md section 7). Nothing
/// is stored or changed in any of these cases.
/// </summary>
public enum SenderKeyDistributionFailure
{
    /// <summary>No failure.</summary>
    None = 0,

    /// <summary>
    /// The message is not the canonical encoding of a <c>SenderKeyDistribution</c>: a field is missing,
    /// repeated, unknown, out of order, of the wrong length, or default-valued; the chain id is zero; or
    /// the iteration is 4294967295.
    /// </summary>
    Malformed,

    /// <summary>The message is for another distribution id than the record it was given to.</summary>
    WrongDistribution,
}
