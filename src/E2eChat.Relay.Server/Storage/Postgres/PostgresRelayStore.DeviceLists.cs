using Npgsql;

namespace E2eChat.Relay.Server.Storage.Postgres;

/// <content>Device lists and account keys.</content>
internal sealed partial class PostgresRelayStore
{
    private const string PublishDeviceList =
        "INSERT INTO device_lists (account, account_key, version, list) VALUES (@a, @k, @v, @l) ON CONFLICT (account) DO UPDATE SET version = excluded.version, list = excluded.list WHERE device_lists.account_key = excluded.account_key AND device_lists.version < excluded.version;";

    private const string SelectDeviceList = "SELECT account_key, version, list FROM device_lists WHERE account = @a;";

    /// <inheritdoc />
    public async ValueTask<DeviceListOutcome> PublishDeviceListAsync(string account, byte[] accountKey, ulong version, byte[] signedList, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(accountKey);
        ArgumentNullException.ThrowIfNull(signedList);
        return await Write(
            async (work, ct) =>
            {
                NpgsqlCommand publish = work.Command(PublishDeviceList).With("a", account).With("k", accountKey).With("v", StoredDeviceList.ToColumn(version)).With("l", signedList);
                if (await PostgresWork.ExecuteAsync(publish, ct).ConfigureAwait(false) == 1)
                {
                    return DeviceListOutcome.Published;
                }

                // The row that won (read committed: this statement sees it, whoever committed it).
                StoredDeviceList stored = (await PostgresWork.RowsAsync(work.Command(SelectDeviceList).With("a", account), ReadDeviceList, ct).ConfigureAwait(false)).Single();
                return StoredDeviceList.Refusal(stored, accountKey, signedList);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<StoredDeviceList?> GetDeviceListAsync(string account, CancellationToken cancellationToken) =>
        (await Read((work, ct) => PostgresWork.RowsAsync(work.Command(SelectDeviceList).With("a", account), ReadDeviceList, ct), cancellationToken).ConfigureAwait(false))
        .SingleOrDefault();

    /// <inheritdoc />
    public async ValueTask<byte[]?> GetAccountKeyAsync(string account, CancellationToken cancellationToken) =>
        (await GetDeviceListAsync(account, cancellationToken).ConfigureAwait(false))?.AccountKey;

    private static StoredDeviceList ReadDeviceList(NpgsqlDataReader reader) =>
        new(Bytes(reader, 0), StoredDeviceList.FromColumn(reader.GetInt64(1)), Bytes(reader, 2));
}
