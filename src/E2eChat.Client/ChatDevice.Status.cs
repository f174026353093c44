using System.Text;

namespace E2eChat.Client;

/// <content>
/// Status posts (PROTOCOL.md 7): this device's one status audience, a sender key like a group's whose
/// posts carry a signed expiry of at most 24 hours. The relay removes a post at its expiry; receivers
/// keep it (sealed, in <c>groups.db</c>) until then, never show it after, and delete it and the
/// skipped keys that served only expired posts in <see cref="PurgeExpiredAsync"/>.
/// </content>
public sealed partial class ChatDevice
{
    /// <summary>The longest status lifetime: a status expires within 24 hours (<c>StatusLifetimeMilliseconds</c>, PROTOCOL.md 9), which the skipped-key deletion rule rests on.</summary>
    public static readonly TimeSpan MaxStatusLifetime = TimeSpan.FromMilliseconds(86_400_000);

    private const string StatusIdSetting = "status-id";

    /// <summary>Posts a text status; see <see cref="PostStatusAsync(IEnumerable{string}, ReadOnlyMemory{byte}, TimeSpan, CancellationToken)"/>.</summary>
    /// <param name="audience">The accounts that may see it.</param>
    /// <param name="text">The text (UTF-8).</param>
    /// <param name="lifetime">How long it lives: more than zero, at most <see cref="MaxStatusLifetime"/>.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>One result per audience device.</returns>
    /// <exception cref="E2eChatException">As the other overload.</exception>
    public Task<IReadOnlyList<SendResult>> PostStatusAsync(IEnumerable<string> audience, string text, TimeSpan lifetime, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        return PostStatusAsync(audience, Encoding.UTF8.GetBytes(text), lifetime, cancellationToken);
    }

    /// <summary>
    /// Posts a status to <paramref name="audience"/>: this device's status sender key is made on first use;
    /// accounts that were in the previous audience and are not in this one are removed and the key is
    /// rotated (they cannot read this post or later ones); every audience device without the current key
    /// gets it through its pairwise session; then the post, signed to expire after <paramref name="lifetime"/>,
    /// is handed to the relay, which deletes it at that expiry. A business's status to a person is
    /// decided and billed as <c>MARKETING</c> (PROTOCOL.md 17.4), and so is its key distribution.
    /// </summary>
    /// <param name="audience">The accounts that may see it (our own account's other devices always do).</param>
    /// <param name="body">The body (1 to <see cref="ApplicationMessage.MaxBodyLength"/> bytes).</param>
    /// <param name="lifetime">How long it lives: more than zero, at most <see cref="MaxStatusLifetime"/>.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>One result per audience device: the post's (all carry its one message id), or for a device the key could not be sent to, that distribution's.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The lifetime is not in range.</exception>
    /// <exception cref="E2eChatException">A <see cref="E2eChatFailure"/> (an audience account's device list is unknown), or a <see cref="E2eChatFailure"/> of the relay calls.</exception>
    public async Task<IReadOnlyList<SendResult>> PostStatusAsync(IEnumerable<string> audience, ReadOnlyMemory<byte> body, TimeSpan lifetime, CancellationToken cancellationToken = default)
    {
        string[] accounts = CheckMembers(audience);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lifetime, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(lifetime, MaxStatusLifetime);
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _groupGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await RequireDeviceListsAsync(accounts, cancellationToken).ConfigureAwait(false);
            var statusId = new DistributionId(_groups.GetOrAddSetting(StatusIdSetting, NewGroupId().ToArray()));
            GroupRecord? record = _groups.GetGroup(statusId.ToArray());
            if (record is null)
            {
                // A crash after the key was stored but before the record: who holds that key is unknown, so it is rotated (chain id 0) before use.
                uint chainId = await CreateSenderKeyAsync(statusId, cancellationToken).ConfigureAwait(false) ?? 0;
                record = new GroupRecord(true, accounts, [], chainId);
                _groups.PutGroup(statusId.ToArray(), record);
            }
            else
            {
                string[] removed = [.. record.Members.Except(accounts, StringComparer.Ordinal)];
                if (removed.Length > 0)
                {
                    record = record with { Members = [.. record.Members.Except(removed, StringComparer.Ordinal)], Distributed = [], ChainId = 0 };
                    _groups.PutGroup(statusId.ToArray(), record);
                }

                if (!record.Members.SequenceEqual(accounts, StringComparer.Ordinal))
                {
                    record = record with { Members = accounts };
                    _groups.PutGroup(statusId.ToArray(), record);
                }
            }

            ulong expiresAt = (ulong)(_time.GetUtcNow() + lifetime).ToUnixTimeMilliseconds();
            return await DistributeAndPostAsync(statusId, record, body, expiresAt, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _groupGate.Release();
        }
    }

    /// <summary>The status posts received and not yet expired at this device's clock, oldest first.</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The posts.</returns>
    public Task<IReadOnlyList<StatusPost>> ListStatusAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        cancellationToken.ThrowIfCancellationRequested();
        IReadOnlyList<StatusRecord> records = _groups.ListStatus(_time.GetUtcNow().ToUnixTimeMilliseconds());
        return Task.FromResult<IReadOnlyList<StatusPost>>([.. records.Select(StatusPost.FromRecord)]);
    }

    /// <summary>
    /// Deletes the status posts whose expiry has passed at this device's clock, and the skipped sender
    /// message keys that served only expired posts (<see cref="GroupReceiver.DeleteExpiredKeysAsync"/>),
    /// so a device seized later holds neither. Run it regularly (at least daily).
    /// </summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>How many status posts were deleted.</returns>
    public async Task<int> PurgeExpiredAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        long now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        int posts = _groups.DeleteExpiredStatus(now);
        int keys = await new GroupReceiver(_store).DeleteExpiredKeysAsync((ulong)now, cancellationToken).ConfigureAwait(false);
        ClientLog.ExpiredPurged(_logger, Address, posts, keys);
        return posts;
    }
}
