namespace E2eChat.Storage;

/// <summary>
/// Where session records live, one opaque serialized record per peer address. The session manager
/// writes a record only after an operation fully succeeded (PROTOCOL.md section 5.5, "Commit"), and
/// serializes all operations on one address, so an implementation needs no locking of its own
/// beyond what its backing storage requires.
/// </summary>
public interface ISessionStore
{
    /// <summary>Loads the serialized record for <paramref name="address"/>.</summary>
    /// <param name="address">The peer.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The record, or <see langword="null"/> when there is none.</returns>
    ValueTask<byte[]?> LoadSessionAsync(ProtocolAddress address, CancellationToken cancellationToken = default);

    /// <summary>Replaces the record for <paramref name="address"/>.</summary>
    /// <param name="address">The peer.</param>
    /// <param name="record">The serialized record (it contains secrets: store it sealed or in protected storage).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the record is durable.</returns>
    ValueTask StoreSessionAsync(ProtocolAddress address, ReadOnlyMemory<byte> record, CancellationToken cancellationToken = default);

    /// <summary>Deletes the record for <paramref name="address"/>, if any.</summary>
    /// <param name="address">The peer.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the record is gone.</returns>
    ValueTask DeleteSessionAsync(ProtocolAddress address, CancellationToken cancellationToken = default);
}
