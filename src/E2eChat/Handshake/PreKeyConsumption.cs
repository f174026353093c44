using E2eChat.Keys;
using E2eChat.Storage;

namespace E2eChat.Handshake;

/// <summary>
/// The store writes an accepted handshake implies (PROTOCOL.md section 4, responder step 8): delete
/// the one-time pre-key and the one-time KEM pre-key it used, and record the initiator's identity
/// (trust on first use). The session layer calls <see cref="CommitAsync"/> only after the inner
/// ratchet message has decrypted, together with storing the new session state. Public values only;
/// immutable, so it outlives the disposed handshake secrets.
/// </summary>
internal sealed class PreKeyConsumption
{
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

    /// <summary>
    /// Deletes the one-time pre-keys (first, so that a replay is refused even if a later write fails)
    /// and records the initiator's identity.
    /// </summary>
    /// <param name="identityStore">The identity store.</param>
    /// <param name="oneTimePreKeys">The one-time X25519 pre-key store.</param>
    /// <param name="kemPreKeys">The KEM pre-key store.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>What the identity store did with the identity.</returns>
    internal async ValueTask<IdentitySaveResult> CommitAsync(
        IIdentityStore identityStore,
        IOneTimePreKeyStore oneTimePreKeys,
        IKemPreKeyStore kemPreKeys,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(identityStore);
        ArgumentNullException.ThrowIfNull(oneTimePreKeys);
        ArgumentNullException.ThrowIfNull(kemPreKeys);
        if (OneTimePreKeyId != 0)
        {
            await oneTimePreKeys.RemoveOneTimePreKeyAsync(OneTimePreKeyId, cancellationToken).ConfigureAwait(false);
        }

        if (OneTimeKemPreKeyId != 0)
        {
            await kemPreKeys.RemoveKemPreKeyAsync(OneTimeKemPreKeyId, cancellationToken).ConfigureAwait(false);
        }

        return await identityStore.SaveIdentityAsync(Address, InitiatorIdentity, cancellationToken).ConfigureAwait(false);
    }
}
