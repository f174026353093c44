using E2eChat.Groups;

namespace E2eChat.Storage;

/// <summary>
/// Sender-key records (PROTOCOL.md section 7), keyed by (sender address, distribution id): each
/// receiver's <see cref="SenderKeyRecord"/> under the sender's address, and our own
/// <see cref="GroupSender"/> state under our own address. Records are the opaque serialized bytes those
/// types write; they hold chain keys, so seal them or keep them in protected storage. Bytes handed in
/// and out are copies.
/// </summary>
public interface ISenderKeyStore
{
    /// <summary>The record stored under <paramref name="name"/>.</summary>
    /// <param name="name">The sender and distribution id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A copy of the stored bytes, or <see langword="null"/> when there is none.</returns>
    ValueTask<byte[]?> LoadSenderKeyAsync(SenderKeyName name, CancellationToken cancellationToken = default);

    /// <summary>Stores a copy of <paramref name="record"/> under <paramref name="name"/>, replacing any record there.</summary>
    /// <param name="name">The sender and distribution id.</param>
    /// <param name="record">The serialized record.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the record is stored.</returns>
    ValueTask StoreSenderKeyAsync(SenderKeyName name, ReadOnlyMemory<byte> record, CancellationToken cancellationToken = default);

    /// <summary>Deletes the record under <paramref name="name"/>, if any (the audience was left or the sender blocked).</summary>
    /// <param name="name">The sender and distribution id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the record is deleted.</returns>
    ValueTask RemoveSenderKeyAsync(SenderKeyName name, CancellationToken cancellationToken = default);

    /// <summary>The names of every record held (for <see cref="GroupReceiver.DeleteExpiredKeysAsync"/>).</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The names, in no particular order.</returns>
    ValueTask<IReadOnlyList<SenderKeyName>> GetSenderKeyNamesAsync(CancellationToken cancellationToken = default);
}
