using E2eChat.Wire;

namespace E2eChat.Relay.Server.Storage.Postgres;

/// <summary>
/// An <see cref="IRelayStore"/> over several PostgreSQL databases, each account on the shard
/// <see cref="ShardMap"/> names: its devices, pre-keys, queues, dedup keys, the billing keys of
/// messages to it, its device list, and the consent state and service windows of a business's customers. A batch is split by recipient shard and each
/// part is one transaction on its shard (a client retrying a failed batch gets duplicates for the parts
/// that committed). Secrets and used challenges live on shard 0; usage of a business is summed over
/// every shard; expiry sweeps every shard.
/// </summary>
internal sealed class ShardedRelayStore : IRelayStore
{
    private readonly PostgresRelayStore[] _shards;

    /// <summary>Creates the store over <paramref name="shards"/>, in configuration order.</summary>
    /// <param name="shards">The shards (two or more).</param>
    internal ShardedRelayStore(IReadOnlyList<PostgresRelayStore> shards)
    {
        ArgumentNullException.ThrowIfNull(shards);
        ArgumentOutOfRangeException.ThrowIfLessThan(shards.Count, 1);
        _shards = [.. shards];
        Map = new ShardMap(_shards.Length);
    }

    /// <summary>The account-to-shard map.</summary>
    internal ShardMap Map { get; }

    /// <summary>The shards, in configuration order.</summary>
    internal IReadOnlyList<PostgresRelayStore> Shards => _shards;

    /// <summary>The shard holding <paramref name="account"/>.</summary>
    /// <param name="account">The account name.</param>
    /// <returns>Its shard's store.</returns>
    internal PostgresRelayStore For(string account) => _shards[Map.ShardOf(account)];

    /// <inheritdoc />
    public async ValueTask InitializeAsync(CancellationToken cancellationToken)
    {
        foreach (PostgresRelayStore shard in _shards)
        {
            await shard.InitializeAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async ValueTask PingAsync(CancellationToken cancellationToken)
    {
        foreach (PostgresRelayStore shard in _shards)
        {
            await shard.PingAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public ValueTask<DeviceRegistration?> GetDeviceAsync(DeviceAddress address, CancellationToken cancellationToken) =>
        For(address.Name).GetDeviceAsync(address, cancellationToken);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<DeviceRegistration>> GetAccountDevicesAsync(string name, CancellationToken cancellationToken) =>
        For(name).GetAccountDevicesAsync(name, cancellationToken);

    /// <inheritdoc />
    public ValueTask<RegistrationOutcome> RegisterDeviceAsync(DeviceRegistration registration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registration);
        return For(registration.Address.Name).RegisterDeviceAsync(registration, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<PublishOutcome> PublishPreKeysAsync(DeviceAddress device, PreKeyUpload upload, int maxOneTimePerKind, CancellationToken cancellationToken) =>
        For(device.Name).PublishPreKeysAsync(device, upload, maxOneTimePerKind, cancellationToken);

    /// <inheritdoc />
    public ValueTask<PreKeyCounts> CountPreKeysAsync(DeviceAddress device, CancellationToken cancellationToken) =>
        For(device.Name).CountPreKeysAsync(device, cancellationToken);

    /// <inheritdoc />
    public ValueTask<ClaimedBundle?> ClaimBundleAsync(DeviceAddress device, CancellationToken cancellationToken) =>
        For(device.Name).ClaimBundleAsync(device, cancellationToken);

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<IReadOnlyList<DeliveryOutcome>>> StoreAsync(IReadOnlyList<MessageToStore> messages, long nowMilliseconds, int maxQueueLength, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (_shards.Length == 1)
        {
            return await _shards[0].StoreAsync(messages, nowMilliseconds, maxQueueLength, cancellationToken).ConfigureAwait(false);
        }

        var results = new DeliveryOutcome[messages.Count][];
        var parts = new List<MessageToStore>?[_shards.Length];
        var positions = new List<(int Message, int[] Recipients)>?[_shards.Length];
        for (int m = 0; m < messages.Count; m++)
        {
            MessageToStore message = messages[m];
            results[m] = new DeliveryOutcome[message.Recipients.Count];
            int? touchShard = message.Touch is { } touch ? Map.ShardOf(touch.Business) : null;
            foreach (IGrouping<int, int> group in Enumerable.Range(0, message.Recipients.Count).GroupBy(i => Map.ShardOf(message.Recipients[i].Name)))
            {
                int shard = group.Key;
                int[] indexes = [.. group];
                var recipientAccounts = new HashSet<string>(indexes.Select(i => message.Recipients[i].Name), StringComparer.Ordinal);
                MessageToStore part = message with
                {
                    Recipients = [.. indexes.Select(i => message.Recipients[i])],
                    Charges = [.. message.Charges.Where(c => recipientAccounts.Contains(c.RecipientAccount))],
                    Touch = touchShard == shard ? message.Touch : null,
                };
                (parts[shard] ??= []).Add(part);
                (positions[shard] ??= []).Add((m, indexes));
            }
        }

        await Task.WhenAll(Enumerable.Range(0, _shards.Length).Where(s => parts[s] is not null).Select(async s =>
        {
            IReadOnlyList<IReadOnlyList<DeliveryOutcome>> outcomes = await _shards[s].StoreAsync(parts[s]!, nowMilliseconds, maxQueueLength, cancellationToken).ConfigureAwait(false);
            for (int k = 0; k < outcomes.Count; k++)
            {
                (int message, int[] recipients) = positions[s]![k];
                for (int r = 0; r < recipients.Length; r++)
                {
                    results[message][recipients[r]] = outcomes[k][r];
                }
            }
        })).ConfigureAwait(false);
        return results;
    }

    /// <inheritdoc />
    public ValueTask<QueuePage> ReadQueueAsync(DeviceAddress device, long afterSequence, int limit, long nowMilliseconds, CancellationToken cancellationToken) =>
        For(device.Name).ReadQueueAsync(device, afterSequence, limit, nowMilliseconds, cancellationToken);

    /// <inheritdoc />
    public ValueTask<int> AcknowledgeAsync(DeviceAddress device, IReadOnlyList<long> sequences, long trimmedNoticed, CancellationToken cancellationToken) =>
        For(device.Name).AcknowledgeAsync(device, sequences, trimmedNoticed, cancellationToken);

    /// <inheritdoc />
    public ValueTask<int> PurgeFromSenderAsync(string recipientAccount, string senderAccount, CancellationToken cancellationToken) =>
        For(recipientAccount).PurgeFromSenderAsync(recipientAccount, senderAccount, cancellationToken);

    /// <inheritdoc />
    public async ValueTask<ExpiryCounts> DeleteExpiredAsync(long nowMilliseconds, CancellationToken cancellationToken)
    {
        var total = default(ExpiryCounts);
        foreach (PostgresRelayStore shard in _shards)
        {
            ExpiryCounts counts = await shard.DeleteExpiredAsync(nowMilliseconds, cancellationToken).ConfigureAwait(false);
            total = new ExpiryCounts(total.Messages + counts.Messages, total.DedupRecords + counts.DedupRecords, total.Challenges + counts.Challenges);
        }

        return total;
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<UsageEntry>> GetUsageAsync(string account, int fromDay, int toDay, CancellationToken cancellationToken)
    {
        var sums = new SortedDictionary<(int Day, string Category), long>(Comparer<(int Day, string Category)>.Create((a, b) =>
            a.Day != b.Day ? a.Day.CompareTo(b.Day) : string.CompareOrdinal(a.Category, b.Category)));
        foreach (PostgresRelayStore shard in _shards)
        {
            foreach (UsageEntry entry in await shard.GetUsageAsync(account, fromDay, toDay, cancellationToken).ConfigureAwait(false))
            {
                sums[(entry.Day, entry.Category)] = sums.GetValueOrDefault((entry.Day, entry.Category)) + entry.Messages;
            }
        }

        return [.. sums.Select(s => new UsageEntry(s.Key.Day, s.Key.Category, s.Value))];
    }

    /// <inheritdoc />
    public ValueTask<DeviceListOutcome> PublishDeviceListAsync(string account, byte[] accountKey, ulong version, byte[] signedList, CancellationToken cancellationToken) =>
        For(account).PublishDeviceListAsync(account, accountKey, version, signedList, cancellationToken);

    /// <inheritdoc />
    public ValueTask<StoredDeviceList?> GetDeviceListAsync(string account, CancellationToken cancellationToken) =>
        For(account).GetDeviceListAsync(account, cancellationToken);

    /// <inheritdoc />
    public ValueTask<byte[]?> GetAccountKeyAsync(string account, CancellationToken cancellationToken) =>
        For(account).GetAccountKeyAsync(account, cancellationToken);

    /// <inheritdoc />
    public ValueTask<StoredConsent?> GetConsentAsync(string customer, string business, CancellationToken cancellationToken) =>
        For(business).GetConsentAsync(customer, business, cancellationToken);

    /// <inheritdoc />
    public ValueTask<bool> SaveConsentAsync(string customer, string business, ulong expectedSerial, ConsentState state, byte[] record, CancellationToken cancellationToken) =>
        For(business).SaveConsentAsync(customer, business, expectedSerial, state, record, cancellationToken);

    /// <inheritdoc />
    public ValueTask<byte[]> GetOrCreateSecretAsync(string name, byte[] candidate, CancellationToken cancellationToken) =>
        _shards[0].GetOrCreateSecretAsync(name, candidate, cancellationToken);

    /// <inheritdoc />
    public ValueTask<bool> TryUseChallengeAsync(byte[] challengeId, long expiresAtMilliseconds, CancellationToken cancellationToken) =>
        _shards[0].TryUseChallengeAsync(challengeId, expiresAtMilliseconds, cancellationToken);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (PostgresRelayStore shard in _shards)
        {
            await shard.DisposeAsync().ConfigureAwait(false);
        }
    }
}
