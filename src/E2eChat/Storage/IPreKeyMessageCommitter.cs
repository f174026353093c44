
namespace E2eChat;

/// <summary>
/// Optional, for stores that share one database: commits everything an accepted first message
/// (<c>PreKeyMessage</c>) writes in one transaction (PROTOCOL.md section 10.2). Without one,
/// <see cref="ProtocolStores"/> commits through the individual stores in a fixed, crash-safe order.
/// </summary>
/// <remarks>
/// A SQL implementation: <c>BEGIN</c>; delete the one-time pre-key (no row deleted:
/// <see cref="PreKeyMessageCommitResult.OneTimePreKeyMissing"/>) and the one-time KEM pre-key
/// (<see cref="PreKeyMessageCommitResult.KemPreKeyMissing"/>); insert the identity if the address has
/// none (a different one: <see cref="PreKeyMessageCommitResult.UntrustedIdentity"/>); write the session
/// record by compare-and-swap as <see cref="ISessionStore.TryStoreSessionAsync"/> does (no row changed:
/// <see cref="PreKeyMessageCommitResult.SessionChanged"/>); <c>COMMIT</c>, or <c>ROLLBACK</c> on any
/// of those outcomes so that nothing is written.
/// </remarks>
public interface IPreKeyMessageCommitter
{
    /// <summary>
    /// Atomically: removes the one-time pre-keys the handshake used, records the initiator's identity
    /// for <paramref name="address"/> if none is recorded, and stores <paramref name="sessionRecord"/> if
    /// the address's session version is still <paramref name="expectedSessionVersion"/>. All or nothing.
    /// </summary>
    /// <param name="address">The initiator's address.</param>
    /// <param name="sessionRecord">The serialized session record holding the new session.</param>
    /// <param name="expectedSessionVersion">The version the record was loaded at (0: never written).</param>
    /// <param name="oneTimePreKeyId">The one-time X25519 pre-key to remove, or 0 when none was used.</param>
    /// <param name="oneTimeKemPreKeyId">The one-time KEM pre-key to remove, or 0 when the last-resort KEM pre-key was used (it is kept).</param>
    /// <param name="identity">The initiator's identity.</param>
    /// <param name="cancellationToken">Cancels the operation (before the commit).</param>
    /// <returns><see cref="PreKeyMessageCommitResult.Committed"/>, or why nothing was written.</returns>
    ValueTask<PreKeyMessageCommitResult> CommitPreKeyMessageAsync(
        ProtocolAddress address,
        ReadOnlyMemory<byte> sessionRecord,
        long expectedSessionVersion,
        uint oneTimePreKeyId,
        uint oneTimeKemPreKeyId,
        IdentityKey identity,
        CancellationToken cancellationToken = default);
}
