
namespace E2eChat;

/// <summary>
/// Sender-key records (PROTOCOL.md section 7), keyed by (sender address, distribution id): each
/// receiver's <see cref="SenderKeyRecord"/> under the sender's address, and our own
/// <see cref="GroupSender"/> state under our own address. Records are the opaque serialized bytes those
/// types write; they hold chain keys, so seal them or keep them in protected storage. Bytes handed in
/// and out are copies.
/// </summary>
/// <remarks>
/// Versioned exactly like <see cref="ISessionStore"/> (PROTOCOL.md section 10.1): a write succeeds only
/// against the version that was loaded, so that two workers sharing the store can neither lose each
/// other's updates nor both use one chain state (a receiver would accept a post twice; two senders
/// would encrypt two posts with one message key). Version 0 means never written; every successful
/// write or removal gives the name a version it never had. Posting from our own sender state goes
/// through <see cref="GroupSender.EncryptAsync"/> for the same reason.
/// <para>
/// Records are not authenticated by this library: an unsealed record that was changed may load as a
/// different valid state (a changed chain or signing key is believed), and one put back from an older
/// copy re-enables keys already used. Sealing (<see cref="SealedState"/>) detects changes, not
/// an older sealed copy put back.
/// </para>
/// </remarks>
public interface ISenderKeyStore
{
    /// <summary>Loads the record stored under <paramref name="name"/> unless the caller already holds its current version.</summary>
    /// <param name="name">The sender and distribution id.</param>
    /// <param name="knownVersion">The version the caller holds (0 when it holds none).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The current version, with a copy of the record when there is one and its version is not <paramref name="knownVersion"/>.</returns>
    ValueTask<VersionedRecord> LoadSenderKeyAsync(SenderKeyName name, long knownVersion = 0, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores a copy of <paramref name="record"/> under <paramref name="name"/> if and only if the current
    /// version is <paramref name="expectedVersion"/> (compare-and-swap), atomically.
    /// </summary>
    /// <param name="name">The sender and distribution id.</param>
    /// <param name="record">The serialized record.</param>
    /// <param name="expectedVersion">The version the record was loaded at (0: never written).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The new version (positive) once the record is stored, or 0 when the current version is not <paramref name="expectedVersion"/> and nothing was written.</returns>
    ValueTask<long> TryStoreSenderKeyAsync(SenderKeyName name, ReadOnlyMemory<byte> record, long expectedVersion, CancellationToken cancellationToken = default);

    /// <summary>Deletes the record under <paramref name="name"/>, if any (the audience was left or the sender blocked), giving the name a new version.</summary>
    /// <param name="name">The sender and distribution id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the record is deleted.</returns>
    ValueTask RemoveSenderKeyAsync(SenderKeyName name, CancellationToken cancellationToken = default);

    /// <summary>The names of every record held (for <see cref="GroupReceiver.DeleteExpiredKeysAsync"/>).</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The names, in no particular order.</returns>
    ValueTask<IReadOnlyList<SenderKeyName>> GetSenderKeyNamesAsync(CancellationToken cancellationToken = default);
}
