
namespace E2eChat.Handshake;

/// <summary>
/// The store writes an accepted handshake implies (PROTOCOL.md section 4, responder step 8, and
/// section 10.2): remove the one-time pre-key and the one-time KEM pre-key it used, record the
/// initiator's identity (trust on first use) and store the session record. The session layer calls
/// <see cref="CommitAsync"/> only after the inner ratchet message has decrypted, and again with a
/// reloaded record while the session store reports that another writer won. Public values only.
/// </summary>
/// <remarks>
/// Without an <see cref="IPreKeyMessageCommitter"/> the writes go through the individual stores in
/// this order, each at most once per instance: the one-time keys (a handshake goes on only if its own
/// removal took the key, so exactly one handshake wins a key), then the identity, then the session
/// record by compare-and-swap (retried by the caller). A crash between them leaves a key consumed
/// and no session (the first message is lost, never accepted twice), or the identity recorded and no
/// session (it is the peer's authenticated identity for that address).
/// </remarks>
internal sealed class PreKeyConsumption
{
    private bool _keysConsumed;
    private bool _identitySaved;

    internal PreKeyConsumption(ProtocolAddress address, IdentityKey initiatorIdentity, uint oneTimePreKeyId, uint oneTimeKemPreKeyId)
    {
        ArgumentNullException.ThrowIfNull(initiatorIdentity);
        Address = address;
        InitiatorIdentity = initiatorIdentity;
        OneTimePreKeyId = oneTimePreKeyId;
        OneTimeKemPreKeyId = oneTimeKemPreKeyId;
    }

    /// <summary>The initiator's address.</summary>
    internal ProtocolAddress Address { get; }

    /// <summary>The initiator's identity, to record for <see cref="Address"/>.</summary>
    internal IdentityKey InitiatorIdentity { get; }

    /// <summary>The one-time X25519 pre-key to delete, or 0 when none was used.</summary>
    internal uint OneTimePreKeyId { get; }

    /// <summary>The one-time KEM pre-key to delete, or 0 when the last-resort KEM pre-key was used (it is kept).</summary>
    internal uint OneTimeKemPreKeyId { get; }

    /// <summary>Whether this instance has removed its one-time keys (sequential path only).</summary>
    internal bool KeysConsumed => _keysConsumed;

    /// <summary>
    /// Commits the handshake with <paramref name="sessionRecord"/>: through the stores' committer in one
    /// transaction when they have one, else sequentially (see the remarks).
    /// </summary>
    /// <param name="stores">The stores.</param>
    /// <param name="sessionRecord">The serialized session record with the new session.</param>
    /// <param name="expectedVersion">The version the record was loaded at.</param>
    /// <param name="cancellationToken">Cancels the operation (only before the first write).</param>
    /// <returns>What happened, and the record's new version when known (0 otherwise).</returns>
    internal async ValueTask<(PreKeyMessageCommitResult Result, long NewVersion)> CommitAsync(
        ProtocolStores stores,
        ReadOnlyMemory<byte> sessionRecord,
        long expectedVersion,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stores);
        if (stores.PreKeyMessageCommitter is { } committer)
        {
            PreKeyMessageCommitResult result = await committer.CommitPreKeyMessageAsync(
                Address, sessionRecord, expectedVersion, OneTimePreKeyId, OneTimeKemPreKeyId, InitiatorIdentity, cancellationToken).ConfigureAwait(false);
            return (result, 0);
        }

        if (!_keysConsumed)
        {
            if (OneTimePreKeyId != 0 && !await stores.OneTimePreKeys.RemoveOneTimePreKeyAsync(OneTimePreKeyId, cancellationToken).ConfigureAwait(false))
            {
                return (PreKeyMessageCommitResult.OneTimePreKeyMissing, 0);
            }

            // From here on the one-time pre-key is ours: the remaining writes must not be abandoned.
            _keysConsumed = true;
            if (OneTimeKemPreKeyId != 0 && !await stores.KemPreKeys.RemoveKemPreKeyAsync(OneTimeKemPreKeyId, CancellationToken.None).ConfigureAwait(false))
            {
                return (PreKeyMessageCommitResult.KemPreKeyMissing, 0);
            }
        }

        if (!_identitySaved)
        {
            IdentitySaveResult saved = await stores.Identities.SaveIdentityAsync(Address, InitiatorIdentity, CancellationToken.None).ConfigureAwait(false);
            if (saved == IdentitySaveResult.Conflict)
            {
                return (PreKeyMessageCommitResult.UntrustedIdentity, 0);
            }

            _identitySaved = true;
        }

        long version = await stores.Sessions.TryStoreSessionAsync(Address, sessionRecord, expectedVersion, CancellationToken.None).ConfigureAwait(false);
        return version == 0 ? (PreKeyMessageCommitResult.SessionChanged, 0) : (PreKeyMessageCommitResult.Committed, version);
    }
}
