namespace E2eChat;

/// <summary>
/// Where session records live: one opaque serialized record per peer address, with a version
/// (PROTOCOL.md section 10.1). Several <see cref="SessionManager"/>s, in one process or in
/// several over one database, may share a store: every write is a compare-and-swap against the
/// version that was loaded, so that two workers can never both commit an operation on the same state
/// (which would encrypt twice with one message key and nonce).
/// </summary>
/// <remarks>
/// <para>
/// The contract, which a persistent store implements with one statement per method (for example a
/// table <c>(address PRIMARY KEY, version INTEGER NOT NULL, record BLOB NULL)</c>):
/// </para>
/// <list type="bullet">
/// <item><see cref="LoadSessionAsync"/>: <c>SELECT version, CASE WHEN version = @known THEN NULL ELSE record END</c>
/// (no row: version 0, no record).</item>
/// <item><see cref="TryStoreSessionAsync"/> with expected version 0: <c>INSERT (version 1) ... ON CONFLICT DO NOTHING</c>;
/// otherwise <c>UPDATE ... SET record = @r, version = version + 1 WHERE address = @a AND version = @expected</c>;
/// one row changed means success (the new version is <c>expected + 1</c>), none means another writer
/// won.</item>
/// <item><see cref="DeleteSessionAsync"/>: <c>UPDATE ... SET record = NULL, version = version + 1</c>
/// (the row stays as a tombstone, so a version is never reused for an address).</item>
/// </list>
/// <para>
/// Stored records are not authenticated by this library: a store that can be written by someone else
/// (a shared disk, a backup restored by hand) should seal them (<see cref="SealedState"/>),
/// which is what detects tampering. An unsealed record that was changed may load as a different
/// valid state (a changed peer identity or chain key is believed); one that no longer loads is
/// reported as a <see cref="E2eChatFailure"/>, and <see cref="SessionManager.StartSessionAsync"/>
/// replaces it. Neither sealing nor versions detect an older copy of a record put back in place (a
/// rollback re-enables message keys already used): keep the store out of reach of whoever could.
/// </para>
/// </remarks>
public interface ISessionStore
{
    /// <summary>Loads the record for <paramref name="address"/> unless the caller already holds its current version.</summary>
    /// <param name="address">The peer.</param>
    /// <param name="knownVersion">The version the caller holds (0 when it holds none).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>
    /// The current version, with a copy of the record when there is one and its version is not
    /// <paramref name="knownVersion"/>.
    /// </returns>
    ValueTask<VersionedRecord> LoadSessionAsync(ProtocolAddress address, long knownVersion = 0, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces the record for <paramref name="address"/> if and only if its current version is
    /// <paramref name="expectedVersion"/> (compare-and-swap), atomically.
    /// </summary>
    /// <param name="address">The peer.</param>
    /// <param name="record">The serialized record (it contains secrets: store it sealed or in protected storage).</param>
    /// <param name="expectedVersion">The version the record was loaded at (0: there was none and the address was never written).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>
    /// The new version (positive, never used before for this address) once the record is durable, or 0
    /// when the current version is not <paramref name="expectedVersion"/> and nothing was written.
    /// </returns>
    ValueTask<long> TryStoreSessionAsync(ProtocolAddress address, ReadOnlyMemory<byte> record, long expectedVersion, CancellationToken cancellationToken = default);

    /// <summary>Deletes the record for <paramref name="address"/>, if any, giving the address a new version.</summary>
    /// <param name="address">The peer.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the record is gone.</returns>
    ValueTask DeleteSessionAsync(ProtocolAddress address, CancellationToken cancellationToken = default);
}
