using Microsoft.Data.Sqlite;

namespace E2eChat.Relay.Server.Storage.Sqlite;

/// <content>Device lists and account keys.</content>
internal sealed partial class SqliteRelayStore
{
    private const string PublishDeviceList =
        "INSERT INTO device_lists (account, account_key, version, list) VALUES ($a, $k, $v, $l) ON CONFLICT (account) DO UPDATE SET version = excluded.version, list = excluded.list WHERE device_lists.account_key = excluded.account_key AND device_lists.version < excluded.version;";

    private const string SelectDeviceList = "SELECT account_key, version, list FROM device_lists WHERE account = $a;";

    /// <inheritdoc />
    public ValueTask<DeviceListOutcome> PublishDeviceListAsync(string account, byte[] accountKey, ulong version, byte[] signedList, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(accountKey);
        ArgumentNullException.ThrowIfNull(signedList);
        return Write(
            () =>
            {
                if (Command(PublishDeviceList).With("$a", account).With("$k", accountKey).With("$v", StoredDeviceList.ToColumn(version)).With("$l", signedList).ExecuteNonQuery() == 1)
                {
                    return DeviceListOutcome.Published;
                }

                using SqliteDataReader reader = Command(SelectDeviceList).With("$a", account).ExecuteReader();
                reader.Read();
                return StoredDeviceList.Refusal(ReadDeviceList(reader), accountKey, signedList);
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<StoredDeviceList?> GetDeviceListAsync(string account, CancellationToken cancellationToken) =>
        Read(
            connection =>
            {
                SqliteCommand command = connection.Command(SelectDeviceList).With("$a", account);
                using SqliteDataReader reader = command.ExecuteReader();
                return reader.Read() ? ReadDeviceList(reader) : null;
            },
            cancellationToken);

    /// <inheritdoc />
    public async ValueTask<byte[]?> GetAccountKeyAsync(string account, CancellationToken cancellationToken) =>
        (await GetDeviceListAsync(account, cancellationToken).ConfigureAwait(false))?.AccountKey;

    private static StoredDeviceList ReadDeviceList(SqliteDataReader reader) =>
        new(Bytes(reader, 0), StoredDeviceList.FromColumn(reader.GetInt64(1)), Bytes(reader, 2));
}
