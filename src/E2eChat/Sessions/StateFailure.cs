namespace E2eChat.Sessions;

/// <summary>
/// Why stored session state could not be loaded. Nothing is loaded in any of these cases. For a
/// session record, every <see cref="SessionManager"/> operation on its address reports the failure
/// until <see cref="SessionManager.StartSessionAsync"/> replaces the record (all values but
/// <see cref="UnknownVersion"/>, which is kept: upgrade instead).
/// </summary>
public enum StateFailure
{
    /// <summary>No failure.</summary>
    None = 0,

    /// <summary>The input ends before the record does: it is empty or was cut short.</summary>
    Truncated,

    /// <summary>
    /// The input is complete but not a record this library wrote: it does not parse, a key has the
    /// wrong length, an invariant is broken, a limit is exceeded, or the encoding is not canonical.
    /// </summary>
    Corrupt,

    /// <summary>
    /// The record is in a format version older than the oldest this build reads (currently: version
    /// 0, the unversioned drafts). It cannot be migrated; the sessions must be re-established.
    /// </summary>
    OldVersion,

    /// <summary>
    /// The record is in a format version newer than this build knows: it was written by a later
    /// version of the library. Upgrade instead of discarding it.
    /// </summary>
    UnknownVersion,
}
