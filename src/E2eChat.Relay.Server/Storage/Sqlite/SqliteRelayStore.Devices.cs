using E2eChat.Wire;
using Microsoft.Data.Sqlite;

namespace E2eChat.Relay.Server.Storage.Sqlite;

/// <content>Devices, secrets, challenges, consent and usage.</content>
internal sealed partial class SqliteRelayStore
{
    private const string SelectDevice =
        "SELECT d.name, d.device, a.kind, d.identity, d.registered_at FROM devices d JOIN accounts a ON a.name = d.name ";

    /// <inheritdoc />
    public ValueTask<DeviceRegistration?> GetDeviceAsync(DeviceAddress address, CancellationToken cancellationToken) =>
        Read(
            connection =>
            {
                SqliteCommand command = connection.Command(SelectDevice + "WHERE d.name = $n AND d.device = $d;").WithDevice(address);
                using SqliteDataReader reader = command.ExecuteReader();
                return reader.Read() ? ReadRegistration(reader) : null;
            },
            cancellationToken);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<DeviceRegistration>> GetAccountDevicesAsync(string name, CancellationToken cancellationToken) =>
        Read<IReadOnlyList<DeviceRegistration>>(
            connection =>
            {
                SqliteCommand command = connection.Command(SelectDevice + "WHERE d.name = $n ORDER BY d.device;").With("$n", name);
                using SqliteDataReader reader = command.ExecuteReader();
                var devices = new List<DeviceRegistration>();
                while (reader.Read())
                {
                    devices.Add(ReadRegistration(reader));
                }

                return devices;
            },
            cancellationToken);

    /// <inheritdoc />
    public ValueTask<RegistrationOutcome> RegisterDeviceAsync(DeviceRegistration registration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registration);
        return Write(
            () =>
            {
                object? kind = Command("SELECT kind FROM accounts WHERE name = $n;").With("$n", registration.Address.Name).ExecuteScalar();
                if (kind is long existingKind && existingKind != (long)registration.Kind)
                {
                    return RegistrationOutcome.KindMismatch;
                }

                object? identity = Command("SELECT identity FROM devices WHERE name = $n AND device = $d;").WithDevice(registration.Address).ExecuteScalar();
                if (identity is byte[] existing)
                {
                    return existing.AsSpan().SequenceEqual(registration.IdentityKey) ? RegistrationOutcome.AlreadyRegistered : RegistrationOutcome.IdentityMismatch;
                }

                if (kind is null)
                {
                    Command("INSERT INTO accounts (name, kind) VALUES ($n, $k);").With("$n", registration.Address.Name).With("$k", (long)registration.Kind).ExecuteNonQuery();
                }

                Command("INSERT INTO devices (name, device, identity, registered_at) VALUES ($n, $d, $i, $t);")
                    .WithDevice(registration.Address)
                    .With("$i", registration.IdentityKey)
                    .With("$t", registration.RegisteredAtMilliseconds)
                    .ExecuteNonQuery();
                return RegistrationOutcome.Registered;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<byte[]> GetOrCreateSecretAsync(string name, byte[] candidate, CancellationToken cancellationToken) =>
        Write(
            () =>
            {
                Command("INSERT INTO secrets (name, value) VALUES ($n, $v) ON CONFLICT (name) DO NOTHING;").With("$n", name).With("$v", candidate).ExecuteNonQuery();
                return (byte[])Command("SELECT value FROM secrets WHERE name = $n;").With("$n", name).ExecuteScalar()!;
            },
            cancellationToken);

    /// <inheritdoc />
    public ValueTask<bool> TryUseChallengeAsync(byte[] challengeId, long expiresAtMilliseconds, CancellationToken cancellationToken) =>
        Write(
            () => Command("INSERT INTO used_challenges (challenge, expires_at) VALUES ($c, $e) ON CONFLICT (challenge) DO NOTHING;")
                .With("$c", challengeId)
                .With("$e", expiresAtMilliseconds)
                .ExecuteNonQuery() == 1,
            cancellationToken);

    /// <inheritdoc />
    public ValueTask<StoredConsent?> GetConsentAsync(string customer, string business, CancellationToken cancellationToken) =>
        Read(
            connection =>
            {
                SqliteCommand command = connection.Command("SELECT serial, last_action, blocked, scopes, grant_expires_at, window_until, record FROM consent WHERE customer = $c AND business = $b;")
                    .With("$c", customer)
                    .With("$b", business);
                using SqliteDataReader reader = command.ExecuteReader();
                return reader.Read()
                    ? StoredConsent.FromColumns(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5), reader.IsDBNull(6) ? null : Bytes(reader, 6))
                    : null;
            },
            cancellationToken);

    /// <inheritdoc />
    public ValueTask<bool> SaveConsentAsync(string customer, string business, ulong expectedSerial, ConsentState state, byte[] record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        return Write(
            () => Command("INSERT INTO consent (customer, business, serial, last_action, blocked, scopes, grant_expires_at, record) VALUES ($c, $b, $s, $a, $bl, $sc, $g, $r) ON CONFLICT (customer, business) DO UPDATE SET serial = excluded.serial, last_action = excluded.last_action, blocked = excluded.blocked, scopes = excluded.scopes, grant_expires_at = excluded.grant_expires_at, record = excluded.record WHERE consent.serial = $expected;")
                .With("$c", customer)
                .With("$b", business)
                .With("$s", unchecked((long)state.Serial))
                .With("$a", (long)state.LastAction)
                .With("$bl", state.IsBlocked ? 1L : 0L)
                .With("$sc", (long)state.Scopes)
                .With("$g", unchecked((long)state.GrantExpiresAtMilliseconds))
                .With("$r", record)
                .With("$expected", unchecked((long)expectedSerial))
                .ExecuteNonQuery() == 1,
            cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<UsageEntry>> GetUsageAsync(string account, int fromDay, int toDay, CancellationToken cancellationToken) =>
        Read<IReadOnlyList<UsageEntry>>(
            connection =>
            {
                SqliteCommand command = connection.Command("SELECT day, category, messages FROM usage WHERE account = $a AND day BETWEEN $f AND $t ORDER BY day, category;")
                    .With("$a", account)
                    .With("$f", fromDay)
                    .With("$t", toDay);
                using SqliteDataReader reader = command.ExecuteReader();
                var rows = new List<UsageEntry>();
                while (reader.Read())
                {
                    rows.Add(new UsageEntry(reader.GetInt32(0), reader.GetString(1), reader.GetInt64(2)));
                }

                return rows;
            },
            cancellationToken);

    private static DeviceRegistration ReadRegistration(SqliteDataReader reader) =>
        new(new DeviceAddress(reader.GetString(0), reader.GetInt32(1)), (PartyKind)reader.GetInt32(2), Bytes(reader, 3), reader.GetInt64(4));
}
