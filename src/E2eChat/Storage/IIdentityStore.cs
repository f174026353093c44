
namespace E2eChat;

/// <summary>
/// Our identity and the identities we have seen for each peer address, with trust on first use
/// (PROTOCOL.md section 8.1): the first identity seen for an address is recorded, and a different one
/// is untrusted until the application approves it.
/// </summary>
public interface IIdentityStore
{
    /// <summary>Our own identity key pair. The store owns it: callers must not dispose it.</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>Our identity key pair.</returns>
    ValueTask<IdentityKeyPair> GetIdentityKeyPairAsync(CancellationToken cancellationToken = default);

    /// <summary>The identity recorded for <paramref name="address"/>.</summary>
    /// <param name="address">The peer.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The identity, or <see langword="null"/> when none is recorded.</returns>
    ValueTask<IdentityKey?> GetIdentityAsync(ProtocolAddress address, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records <paramref name="identity"/> for <paramref name="address"/> if no identity is recorded
    /// yet; never replaces a different one (see <see cref="ApproveIdentityAsync"/>).
    /// </summary>
    /// <param name="address">The peer.</param>
    /// <param name="identity">The identity seen.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>Whether it was recorded, already known, or in conflict with the recorded one.</returns>
    ValueTask<IdentitySaveResult> SaveIdentityAsync(ProtocolAddress address, IdentityKey identity, CancellationToken cancellationToken = default);

    /// <summary>
    /// Whether <paramref name="identity"/> may be used for <paramref name="address"/>: true when no
    /// identity is recorded or the recorded one is the same.
    /// </summary>
    /// <param name="address">The peer.</param>
    /// <param name="identity">The identity presented.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns><see langword="true"/> when trusted.</returns>
    ValueTask<bool> IsTrustedAsync(ProtocolAddress address, IdentityKey identity, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records <paramref name="identity"/> for <paramref name="address"/>, replacing any other: the
    /// application's decision to accept a changed identity (for example after comparing safety numbers).
    /// </summary>
    /// <param name="address">The peer.</param>
    /// <param name="identity">The identity to trust.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the identity is recorded.</returns>
    ValueTask ApproveIdentityAsync(ProtocolAddress address, IdentityKey identity, CancellationToken cancellationToken = default);
}
