
namespace E2eChat;

/// <summary>
/// Our ML-KEM-768 pre-keys, one-time and last-resort, by id (one id space for both kinds). A
/// committed handshake removes a one-time KEM pre-key and keeps a last-resort one. Keys handed in are
/// copied; keys handed out are new instances the caller disposes.
/// </summary>
public interface IKemPreKeyStore
{
    /// <summary>The KEM pre-key with <paramref name="id"/>.</summary>
    /// <param name="id">The id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A key the caller disposes, or <see langword="null"/> when there is none (never issued, or consumed).</returns>
    ValueTask<KemPreKey?> GetKemPreKeyAsync(uint id, CancellationToken cancellationToken = default);

    /// <summary>Stores a copy of <paramref name="key"/> under its id, replacing any key with that id.</summary>
    /// <param name="key">The key.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the key is stored.</returns>
    ValueTask SaveKemPreKeyAsync(KemPreKey key, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes the key with <paramref name="id"/>, if any (a consumed one-time key, or a rotated
    /// last-resort key), atomically: of several concurrent calls for one id, exactly one is told it
    /// removed the key. A handshake that used a one-time KEM pre-key commits only when its own call
    /// removed it (PROTOCOL.md section 10.2).
    /// </summary>
    /// <param name="id">The id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns><see langword="true"/> when this call removed the key; <see langword="false"/> when there was none.</returns>
    ValueTask<bool> RemoveKemPreKeyAsync(uint id, CancellationToken cancellationToken = default);
}
