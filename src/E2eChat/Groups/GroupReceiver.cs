using System.Security.Cryptography;
using E2eChat.Errors;
using E2eChat.Sessions;
using E2eChat.Storage;

namespace E2eChat.Groups;

/// <summary>
/// The receiving side of sender keys over an <see cref="ISenderKeyStore"/> (PROTOCOL.md section 7):
/// processes the distributions senders hand us through our pairwise sessions, decrypts their posts,
/// and deletes the keys of expired posts. Each operation loads the <see cref="SenderKeyRecord"/> of
/// (sender, distribution id), works on it, and stores it back only when it changed; a refused message
/// writes nothing.
/// </summary>
/// <remarks>
/// Calls for the same sender and distribution must not run concurrently (the second would overwrite the
/// first's record); run them one at a time, for example one queue per sender.
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
    /// <returns><see cref="SenderKeyDistributionFailure.None"/>, or why the message was refused (nothing stored).</returns>
    /// <exception cref="ArgumentException"><paramref name="sender"/> is not a valid address.</exception>
    /// <exception cref="E2eChatException">The stored record does not load (its reason is a <see cref="StateFailure"/>).</exception>
    public async ValueTask<SenderKeyDistributionFailure> TryProcessDistributionAsync(ProtocolAddress sender, ReadOnlyMemory<byte> distributionMessage, CancellationToken cancellationToken = default)
    {
        CheckAddress(sender);
        if (!TryReadDistributionId(distributionMessage.Span, out DistributionId distributionId))
        {
            return SenderKeyDistributionFailure.Malformed;
        }

        var name = new SenderKeyName(sender, distributionId);
        byte[]? stored = await _store.LoadSenderKeyAsync(name, cancellationToken).ConfigureAwait(false);
        SenderKeyRecord? record;
        SenderKeyDistributionFailure failure;
        if (stored is null)
        {
            SenderKeyRecord.TryCreate(distributionMessage.Span, out record, out failure);
        }
        else
        {
            record = Load(stored);
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
            await SaveAsync(name, record, cancellationToken).ConfigureAwait(false);
        }

        return SenderKeyDistributionFailure.None;
    }

    /// <summary>Processes a distribution; see <see cref="TryProcessDistributionAsync"/>.</summary>
    /// <param name="sender">The sending device, as authenticated by the pairwise session.</param>
    /// <param name="distributionMessage">The encoded distribution message.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the record is stored.</returns>
    /// <exception cref="ArgumentException"><paramref name="sender"/> is not a valid address.</exception>
    /// <exception cref="E2eChatException">
    /// The message was refused (<see cref="SenderKeyDistributionFailure"/>), or the stored record does not
    /// load (<see cref="StateFailure"/>).
    /// </exception>
    public async ValueTask ProcessDistributionAsync(ProtocolAddress sender, ReadOnlyMemory<byte> distributionMessage, CancellationToken cancellationToken = default)
    {
        SenderKeyDistributionFailure failure = await TryProcessDistributionAsync(sender, distributionMessage, cancellationToken).ConfigureAwait(false);
        if (failure != SenderKeyDistributionFailure.None)
        {
            throw new E2eChatException(failure);
        }
    }

    /// <summary>
    /// Decrypts a post from <paramref name="sender"/> (PROTOCOL.md section 7). The record is stored back
    /// only on success.
    /// </summary>
    /// <param name="sender">The sending device (the envelope's sender).</param>
    /// <param name="message">The encoded <c>SenderKeyMessage</c> (the <see cref="Envelopes.CiphertextMessage"/> body).</param>
    /// <param name="nowMilliseconds">The receiver's clock, milliseconds since the Unix epoch.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The plaintext, or why the post was refused (<see cref="SenderKeyFailure.UnknownSenderKey"/> when no record is held).</returns>
    /// <exception cref="ArgumentException"><paramref name="sender"/> is not a valid address.</exception>
    /// <exception cref="E2eChatException">The stored record does not load (its reason is a <see cref="StateFailure"/>).</exception>
    public async ValueTask<SenderKeyDecryptionResult> TryDecryptAsync(ProtocolAddress sender, ReadOnlyMemory<byte> message, ulong nowMilliseconds, CancellationToken cancellationToken = default)
    {
        CheckAddress(sender);
        if (!SenderKeyRecord.TryReadDistributionId(message.Span, out DistributionId distributionId))
        {
            return SenderKeyDecryptionResult.Failed(SenderKeyFailure.Malformed);
        }

        var name = new SenderKeyName(sender, distributionId);
        byte[]? stored = await _store.LoadSenderKeyAsync(name, cancellationToken).ConfigureAwait(false);
        if (stored is null)
        {
            return SenderKeyDecryptionResult.Failed(SenderKeyFailure.UnknownSenderKey);
        }

        using SenderKeyRecord record = Load(stored);
        if (!record.TryDecrypt(message.Span, nowMilliseconds, out byte[]? plaintext, out SenderKeyFailure failure))
        {
            return SenderKeyDecryptionResult.Failed(failure);
        }

        try
        {
            await SaveAsync(name, record, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            CryptographicOperations.ZeroMemory(plaintext);
            throw;
        }

        return SenderKeyDecryptionResult.Success(plaintext);
    }

    /// <summary>Decrypts a post; see <see cref="TryDecryptAsync"/>.</summary>
    /// <param name="sender">The sending device (the envelope's sender).</param>
    /// <param name="message">The encoded <c>SenderKeyMessage</c>.</param>
    /// <param name="nowMilliseconds">The receiver's clock, milliseconds since the Unix epoch.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The plaintext.</returns>
    /// <exception cref="ArgumentException"><paramref name="sender"/> is not a valid address.</exception>
    /// <exception cref="E2eChatException">
    /// The post was refused (<see cref="SenderKeyFailure"/>; nothing stored), or the stored record does
    /// not load (<see cref="StateFailure"/>).
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
            byte[]? stored = await _store.LoadSenderKeyAsync(name, cancellationToken).ConfigureAwait(false);
            if (stored is null)
            {
                continue;
            }

            bool loaded = SenderKeyRecord.TryDeserialize(stored, out SenderKeyRecord? record, out _);
            CryptographicOperations.ZeroMemory(stored);
            if (!loaded)
            {
                continue;
            }

            using (record)
            {
                int count = record!.DeleteExpiredKeys(nowMilliseconds);
                if (count > 0)
                {
                    await SaveAsync(name, record, cancellationToken).ConfigureAwait(false);
                    deleted += count;
                }
            }
        }

        return deleted;
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
        distributionId = default;
        if (!SenderKeyDistributionFields.TryParse(distributionMessage, out SenderKeyDistributionFields fields))
        {
            return false;
        }

        distributionId = new DistributionId(fields.DistributionId);
        return true;
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

    private async ValueTask SaveAsync(SenderKeyName name, SenderKeyRecord record, CancellationToken cancellationToken)
    {
        byte[] serialized = record.Serialize();
        try
        {
            await _store.StoreSenderKeyAsync(name, serialized, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(serialized);
        }
    }
}
