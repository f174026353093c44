using System.Security.Cryptography;

namespace E2eChat;

/// <summary>
/// The receiving side of sender keys over an <see cref="ISenderKeyStore"/> (PROTOCOL.md section 7):
/// processes the distributions senders hand us through our pairwise sessions, decrypts their posts,
/// and deletes the keys of expired posts. Each operation loads the <see cref="SenderKeyRecord"/> of
/// (sender, distribution id), works on it, and stores it back only when it changed; a refused message
/// writes nothing.
/// </summary>
/// <remarks>
/// Several receivers (threads, workers, processes over one database) may share the store: each
/// operation stores its record back by compare-and-swap against the version it loaded (PROTOCOL.md
/// section 10.1) and, when another writer got there first, discards its work (a plaintext is never
/// released then) and starts again from the new record. So a post is accepted once, and no update is
/// lost. After <see cref="ProtocolLimits.MaxCommitAttempts"/> lost races an operation throws
/// <see cref="E2eChatException"/> with <see cref="E2eChatFailure.StoreConflict"/>.
/// </remarks>
public sealed class GroupReceiver
{
    private readonly ISenderKeyStore _store;

    /// <summary>Creates a receiver over <paramref name="store"/>.</summary>
    /// <param name="store">Where the records live.</param>
    public GroupReceiver(ISenderKeyStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
    }

    /// <summary>
    /// Processes a <c>SenderKeyDistribution</c> from <paramref name="sender"/>: creates the record of its
    /// distribution, or adds the generation to it (<see cref="SenderKeyRecord.TryProcessDistribution"/>).
    /// Only call it with a distribution that arrived through the pairwise session with
    /// <paramref name="sender"/>: whoever can hand us a distribution can post to its audience.
    /// </summary>
    /// <param name="sender">The sending device, as authenticated by the pairwise session.</param>
    /// <param name="distributionMessage">The encoded distribution message (the caller wipes it: it holds a chain key).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns><see cref="E2eChatFailure.None"/>, or why the message was refused (nothing stored).</returns>
    /// <exception cref="ArgumentException"><paramref name="sender"/> is not a valid address.</exception>
    /// <exception cref="E2eChatException">The stored record does not load (its reason is a <see cref="E2eChatFailure"/>), or <see cref="E2eChatFailure.StoreConflict"/>.</exception>
    public async ValueTask<E2eChatFailure> TryProcessDistributionAsync(ProtocolAddress sender, ReadOnlyMemory<byte> distributionMessage, CancellationToken cancellationToken = default)
    {
        CheckAddress(sender);
        if (!TryReadDistributionId(distributionMessage.Span, out DistributionId distributionId))
        {
            return E2eChatFailure.Malformed;
        }

        var name = new SenderKeyName(sender, distributionId);
        for (int attempt = 0; attempt < ProtocolLimits.MaxCommitAttempts; attempt++)
        {
            VersionedRecord stored = await _store.LoadSenderKeyAsync(name, 0, cancellationToken).ConfigureAwait(false);
            SenderKeyRecord? record;
            E2eChatFailure failure;
            if (stored.Record is null)
            {
                SenderKeyRecord.TryCreate(distributionMessage.Span, out record, out failure);
            }
            else
            {
                record = Load(stored.Record);
                if (!record.TryProcessDistribution(distributionMessage.Span, out failure))
                {
                    record.Dispose();
                    record = null;
                }
            }

            if (record is null)
            {
                return failure;
            }

            using (record)
            {
                if (await TryStoreAsync(name, record, stored.Version).ConfigureAwait(false))
                {
                    return E2eChatFailure.None;
                }
            }
        }

        throw new E2eChatException(E2eChatFailure.StoreConflict);
    }

    /// <summary>Processes a distribution; see <see cref="TryProcessDistributionAsync"/>.</summary>
    /// <param name="sender">The sending device, as authenticated by the pairwise session.</param>
    /// <param name="distributionMessage">The encoded distribution message.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the record is stored.</returns>
    /// <exception cref="ArgumentException"><paramref name="sender"/> is not a valid address.</exception>
    /// <exception cref="E2eChatException">
    /// The message was refused (<see cref="E2eChatFailure"/>), or the stored record does not
    /// load (<see cref="E2eChatFailure"/>).
    /// </exception>
    public async ValueTask ProcessDistributionAsync(ProtocolAddress sender, ReadOnlyMemory<byte> distributionMessage, CancellationToken cancellationToken = default)
    {
        E2eChatFailure failure = await TryProcessDistributionAsync(sender, distributionMessage, cancellationToken).ConfigureAwait(false);
        if (failure != E2eChatFailure.None)
        {
            throw new E2eChatException(failure);
        }
    }

    /// <summary>
    /// Decrypts a post from <paramref name="sender"/> (PROTOCOL.md section 7). The record is stored back
    /// only on success.
    /// </summary>
    /// <param name="sender">The sending device (the envelope's sender).</param>
    /// <param name="message">The encoded <c>SenderKeyMessage</c> (the <see cref="CiphertextMessage"/> body).</param>
    /// <param name="nowMilliseconds">The receiver's clock, milliseconds since the Unix epoch.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The plaintext, or why the post was refused (<see cref="E2eChatFailure.UnknownSenderKey"/> when no record is held).</returns>
    /// <exception cref="ArgumentException"><paramref name="sender"/> is not a valid address.</exception>
    /// <exception cref="E2eChatException">The stored record does not load (its reason is a <see cref="E2eChatFailure"/>), or <see cref="E2eChatFailure.StoreConflict"/>.</exception>
    public async ValueTask<SenderKeyDecryptionResult> TryDecryptAsync(ProtocolAddress sender, ReadOnlyMemory<byte> message, ulong nowMilliseconds, CancellationToken cancellationToken = default)
    {
        CheckAddress(sender);
        if (!SenderKeyRecord.TryReadDistributionId(message.Span, out DistributionId distributionId))
        {
            return SenderKeyDecryptionResult.Failed(E2eChatFailure.Malformed);
        }

        var name = new SenderKeyName(sender, distributionId);
        for (int attempt = 0; attempt < ProtocolLimits.MaxCommitAttempts; attempt++)
        {
            VersionedRecord stored = await _store.LoadSenderKeyAsync(name, 0, cancellationToken).ConfigureAwait(false);
            if (stored.Record is null)
            {
                return SenderKeyDecryptionResult.Failed(E2eChatFailure.UnknownSenderKey);
            }

            using SenderKeyRecord record = Load(stored.Record);
            if (!record.TryDecrypt(message.Span, nowMilliseconds, out byte[]? plaintext, out E2eChatFailure failure))
            {
                return SenderKeyDecryptionResult.Failed(failure);
            }

            bool committed;
            try
            {
                committed = await TryStoreAsync(name, record, stored.Version).ConfigureAwait(false);
            }
            catch
            {
                CryptographicOperations.ZeroMemory(plaintext);
                throw;
            }

            if (committed)
            {
                return SenderKeyDecryptionResult.Success(plaintext);
            }

            // Another receiver changed the record first: this plaintext is not released.
            CryptographicOperations.ZeroMemory(plaintext);
        }

        throw new E2eChatException(E2eChatFailure.StoreConflict);
    }

    /// <summary>Decrypts a post; see <see cref="TryDecryptAsync"/>.</summary>
    /// <param name="sender">The sending device (the envelope's sender).</param>
    /// <param name="message">The encoded <c>SenderKeyMessage</c>.</param>
    /// <param name="nowMilliseconds">The receiver's clock, milliseconds since the Unix epoch.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The plaintext.</returns>
    /// <exception cref="ArgumentException"><paramref name="sender"/> is not a valid address.</exception>
    /// <exception cref="E2eChatException">
    /// The post was refused (<see cref="E2eChatFailure"/>; nothing stored), or the stored record does
    /// not load (<see cref="E2eChatFailure"/>).
    /// </exception>
    public async ValueTask<byte[]> DecryptAsync(ProtocolAddress sender, ReadOnlyMemory<byte> message, ulong nowMilliseconds, CancellationToken cancellationToken = default)
    {
        SenderKeyDecryptionResult result = await TryDecryptAsync(sender, message, nowMilliseconds, cancellationToken).ConfigureAwait(false);
        return result.Succeeded ? result.Plaintext : throw new E2eChatException(result.Failure);
    }

    /// <summary>
    /// Deletes, in every receiver record of the store, the skipped message keys that only served expired
    /// posts (<see cref="SenderKeyRecord.DeleteExpiredKeys"/>), and stores back the records that changed.
    /// Run it periodically (for status, at least daily), so that a device seized later holds no key for
    /// an expired post it never received. Records that are not receiver records (our own
    /// <see cref="GroupSender"/> states) or do not load are left as they are.
    /// </summary>
    /// <param name="nowMilliseconds">The receiver's clock, milliseconds since the Unix epoch.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The number of keys deleted.</returns>
    public async ValueTask<int> DeleteExpiredKeysAsync(ulong nowMilliseconds, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<SenderKeyName> names = await _store.GetSenderKeyNamesAsync(cancellationToken).ConfigureAwait(false);
        int deleted = 0;
        foreach (SenderKeyName name in names)
        {
            deleted += await DeleteExpiredKeysOfAsync(name, nowMilliseconds, cancellationToken).ConfigureAwait(false);
        }

        return deleted;
    }

    /// <summary>Deletes the expired skipped keys of one record, retrying when another writer changed it first.</summary>
    private async ValueTask<int> DeleteExpiredKeysOfAsync(SenderKeyName name, ulong nowMilliseconds, CancellationToken cancellationToken)
    {
        for (int attempt = 0; attempt < ProtocolLimits.MaxCommitAttempts; attempt++)
        {
            VersionedRecord stored = await _store.LoadSenderKeyAsync(name, 0, cancellationToken).ConfigureAwait(false);
            if (stored.Record is null)
            {
                return 0;
            }

            bool loaded = SenderKeyRecord.TryDeserialize(stored.Record, out SenderKeyRecord? record, out _);
            CryptographicOperations.ZeroMemory(stored.Record);
            if (!loaded)
            {
                return 0;
            }

            using (record)
            {
                int count = record!.DeleteExpiredKeys(nowMilliseconds);
                if (count == 0 || await TryStoreAsync(name, record, stored.Version).ConfigureAwait(false))
                {
                    return count;
                }
            }
        }

        throw new E2eChatException(E2eChatFailure.StoreConflict);
    }

    private static void CheckAddress(ProtocolAddress sender)
    {
        if (!ProtocolAddress.IsValidName(sender.Name) || sender.DeviceId is 0 or > ProtocolAddress.MaxDeviceId)
        {
            throw new ArgumentException("The sender is not a valid address.", nameof(sender));
        }
    }

    private static bool TryReadDistributionId(ReadOnlySpan<byte> distributionMessage, out DistributionId distributionId)
    {
        bool parsed = SenderKeyDistributionFields.TryParse(distributionMessage, out SenderKeyDistributionFields fields);
        distributionId = parsed ? new DistributionId(fields.DistributionId) : default;
        return parsed;
    }

    private static SenderKeyRecord Load(byte[] stored)
    {
        try
        {
            return SenderKeyRecord.Deserialize(stored);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(stored);
        }
    }

    /// <summary>Stores <paramref name="record"/> by compare-and-swap; <see langword="false"/> when another writer won. Not cancellable: the operation already succeeded in memory.</summary>
    private async ValueTask<bool> TryStoreAsync(SenderKeyName name, SenderKeyRecord record, long expectedVersion)
    {
        byte[] serialized = record.Serialize();
        try
        {
            return await _store.TryStoreSenderKeyAsync(name, serialized, expectedVersion, CancellationToken.None).ConfigureAwait(false) != 0;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(serialized);
        }
    }
}
