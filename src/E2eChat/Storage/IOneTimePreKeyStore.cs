
namespace E2eChat;

/// <summary>
/// Our one-time X25519 pre-keys, by id; a key is removed when a handshake that used it is committed,
/// so a replay of that handshake finds it unknown. Keys handed in are copied; keys handed out are new
/// instances the caller disposes.
/// </summary>
public interface IOneTimePreKeyStore
{
    /// <summary>The one-time pre-key with <paramref name="id"/>.</summary>
    /// <param name="id">The id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A key the caller disposes, or <see langword="null"/> when there is none (never issued, or consumed).</returns>
    ValueTask<OneTimePreKey?> GetOneTimePreKeyAsync(uint id, CancellationToken cancellationToken = default);

    /// <summary>Stores a copy of <paramref name="key"/> under its id, replacing any key with that id.</summary>
    /// <param name="key">The key.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the key is stored.</returns>
    ValueTask SaveOneTimePreKeyAsync(OneTimePreKey key, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes (consumes) the key with <paramref name="id"/>, if any, atomically: of several concurrent
    /// calls for one id, exactly one is told it removed the key (for a database, one
    /// <c>DELETE ... WHERE id = @id</c> and its row count). A handshake that used the key commits only
    /// when its own call removed it (PROTOCOL.md section 10.2), so a one-time key serves one handshake
    /// whatever the interleaving.
    /// </summary>
    /// <param name="id">The id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns><see langword="true"/> when this call removed the key; <see langword="false"/> when there was none (never issued, or already removed).</returns>
    ValueTask<bool> RemoveOneTimePreKeyAsync(uint id, CancellationToken cancellationToken = default);
}
