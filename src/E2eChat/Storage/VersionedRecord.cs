namespace E2eChat;

/// <summary>
/// What a versioned store (<see cref="ISessionStore"/>, <see cref="ISenderKeyStore"/>) answers to a
/// load: the current version of the key and, unless the caller already holds that version, a copy of
/// the record. Versions let several workers or processes share one store without losing updates or
/// reusing a key: a write succeeds only against the version that was loaded (compare-and-swap), see
/// <see cref="ISessionStore.TryStoreSessionAsync"/>.
/// </summary>
/// <remarks>
/// Version 0 means the key was never written. Every successful write or delete gives the key a
/// version it never had before (deletion included, so that a record deleted and written again never
/// comes back under a version a cache still holds).
/// </remarks>
public readonly struct VersionedRecord
{
    /// <summary>Creates an answer.</summary>
    /// <param name="version">The key's current version (0: never written).</param>
    /// <param name="record">
    /// A copy of the stored record, now owned by the caller; <see langword="null"/> when there is no
    /// record (never written, or deleted) or when <paramref name="version"/> is the version the caller
    /// said it already holds.
    /// </param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="version"/> is negative.</exception>
    /// <exception cref="ArgumentException">A record with version 0.</exception>
    public VersionedRecord(long version, byte[]? record)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(version);
        if (version == 0 && record is not null)
        {
            throw new ArgumentException("A key that was never written has no record.", nameof(record));
        }

        Version = version;
        Record = record;
    }

    /// <summary>The key's current version; 0 when it was never written.</summary>
    public long Version { get; }

    /// <summary>
    /// The stored record (a copy the caller owns and wipes), or <see langword="null"/> when there is
    /// none or the caller already holds <see cref="Version"/>.
    /// </summary>
    public byte[]? Record { get; }

    /// <summary>Names the version only (records hold secrets).</summary>
    /// <returns>A short description.</returns>
    public override string ToString() => Record is null ? $"version {Version}, no record" : $"version {Version}, {Record.Length} bytes";
}
