
namespace E2eChat;

/// <summary>
/// Our signed pre-keys, by id. Keys handed in are copied (the caller keeps and disposes its own);
/// keys handed out are new instances the caller disposes.
/// </summary>
public interface ISignedPreKeyStore
{
    /// <summary>The signed pre-key with <paramref name="id"/>.</summary>
    /// <param name="id">The id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A key the caller disposes, or <see langword="null"/> when there is none.</returns>
    ValueTask<SignedPreKey?> GetSignedPreKeyAsync(uint id, CancellationToken cancellationToken = default);

    /// <summary>Stores a copy of <paramref name="key"/> under its id, replacing any key with that id.</summary>
    /// <param name="key">The key.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the key is stored.</returns>
    ValueTask SaveSignedPreKeyAsync(SignedPreKey key, CancellationToken cancellationToken = default);

    /// <summary>Deletes the key with <paramref name="id"/>, if any (after rotation, once in-flight handshakes are unlikely).</summary>
    /// <param name="id">The id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the key is deleted.</returns>
    ValueTask RemoveSignedPreKeyAsync(uint id, CancellationToken cancellationToken = default);
}
