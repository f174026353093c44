using E2eChat.Wire;
using Npgsql;

namespace E2eChat.Relay.Server.Storage.Postgres;

/// <content>Devices, secrets, challenges, consent and usage.</content>
internal sealed partial class PostgresRelayStore
{
    private const string SelectDevice =
        "SELECT d.name, d.device, a.kind, d.identity, d.registered_at FROM devices d JOIN accounts a ON a.name = d.name ";

    /// <inheritdoc />
    public async ValueTask<DeviceRegistration?> GetDeviceAsync(DeviceAddress address, CancellationToken cancellationToken) =>
        (await Read((work, ct) => PostgresWork.RowsAsync(work.Command(SelectDevice + "WHERE d.name = @n AND d.device = @d;").WithDevice(address), ReadRegistration, ct), cancellationToken).ConfigureAwait(false))
        .SingleOrDefault();

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<DeviceRegistration>> GetAccountDevicesAsync(string name, CancellationToken cancellationToken) =>
        await Read((work, ct) => PostgresWork.RowsAsync(work.Command(SelectDevice + "WHERE d.name = @n ORDER BY d.device;").With("n", name), ReadRegistration, ct), cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public ValueTask<RegistrationOutcome> RegisterDeviceAsync(DeviceRegistration registration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registration);
        return Write(
            async (work, ct) =>
            {
                // The account row first: a concurrent first registration waits here for the other's
                // commit, then both see the same kind.
                await PostgresWork.ExecuteAsync(work.Command("INSERT INTO accounts (name, kind) VALUES (@n, @k) ON CONFLICT (name) DO NOTHING;").With("n", registration.Address.Name).With("k", (int)registration.Kind), ct).ConfigureAwait(false);
                object? kind = await PostgresWork.ScalarAsync(work.Command("SELECT kind FROM accounts WHERE name = @n;").With("n", registration.Address.Name), ct).ConfigureAwait(false);
                if (kind is int existingKind && existingKind != (int)registration.Kind)
                {
                    work.Abort();
                    return RegistrationOutcome.KindMismatch;
                }

                int inserted = await PostgresWork.ExecuteAsync(
                    work.Command("INSERT INTO devices (name, device, identity, registered_at) VALUES (@n, @d, @i, @t) ON CONFLICT (name, device) DO NOTHING;")
                        .WithDevice(registration.Address).With("i", registration.IdentityKey).With("t", registration.RegisteredAtMilliseconds),
                    ct).ConfigureAwait(false);
                if (inserted == 1)
                {
                    return RegistrationOutcome.Registered;
                }

                object? identity = await PostgresWork.ScalarAsync(work.Command("SELECT identity FROM devices WHERE name = @n AND device = @d;").WithDevice(registration.Address), ct).ConfigureAwait(false);
                return identity is byte[] existing && existing.AsSpan().SequenceEqual(registration.IdentityKey)
                    ? RegistrationOutcome.AlreadyRegistered
                    : RegistrationOutcome.IdentityMismatch;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<byte[]> GetOrCreateSecretAsync(string name, byte[] candidate, CancellationToken cancellationToken) =>
        Write(
            async (work, ct) =>
            {
                await PostgresWork.ExecuteAsync(work.Command("INSERT INTO secrets (name, value) VALUES (@n, @v) ON CONFLICT (name) DO NOTHING;").With("n", name).With("v", candidate), ct).ConfigureAwait(false);
                return (byte[])(await PostgresWork.ScalarAsync(work.Command("SELECT value FROM secrets WHERE name = @n;").With("n", name), ct).ConfigureAwait(false))!;
            },
            cancellationToken);

    /// <inheritdoc />
    public ValueTask<bool> TryUseChallengeAsync(byte[] challengeId, long expiresAtMilliseconds, CancellationToken cancellationToken) =>
        Write(
            async (work, ct) => await PostgresWork.ExecuteAsync(
                work.Command("INSERT INTO used_challenges (challenge, expires_at) VALUES (@c, @e) ON CONFLICT (challenge) DO NOTHING;").With("c", challengeId).With("e", expiresAtMilliseconds),
                ct).ConfigureAwait(false) == 1,
            cancellationToken);

    /// <inheritdoc />
    public async ValueTask<StoredConsent?> GetConsentAsync(string customer, string business, CancellationToken cancellationToken) =>
        (await Read(
            (work, ct) => PostgresWork.RowsAsync(
                work.Command("SELECT serial, last_action, blocked, scopes, grant_expires_at, window_until, record FROM consent WHERE customer = @c AND business = @b;").With("c", customer).With("b", business),
                reader => StoredConsent.FromColumns(reader.GetInt64(0), reader.GetInt32(1), reader.GetInt32(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5), reader.IsDBNull(6) ? null : Bytes(reader, 6)),
                ct),
            cancellationToken).ConfigureAwait(false)).SingleOrDefault();

    /// <inheritdoc />
    public async ValueTask<bool> SaveConsentAsync(string customer, string business, ulong expectedSerial, ConsentState state, byte[] record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        return await Write(
            async (work, ct) => await PostgresWork.ExecuteAsync(
                work.Command("INSERT INTO consent (customer, business, serial, last_action, blocked, scopes, grant_expires_at, record) VALUES (@c, @b, @s, @a, @bl, @sc, @g, @r) ON CONFLICT (customer, business) DO UPDATE SET serial = excluded.serial, last_action = excluded.last_action, blocked = excluded.blocked, scopes = excluded.scopes, grant_expires_at = excluded.grant_expires_at, record = excluded.record WHERE consent.serial = @expected;")
                    .With("c", customer)
                    .With("b", business)
                    .With("s", unchecked((long)state.Serial))
                    .With("a", (int)state.LastAction)
                    .With("bl", state.IsBlocked ? 1 : 0)
                    .With("sc", (long)state.Scopes)
                    .With("g", unchecked((long)state.GrantExpiresAtMilliseconds))
                    .With("r", record)
                    .With("expected", unchecked((long)expectedSerial)),
                ct).ConfigureAwait(false) == 1,
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<UsageEntry>> GetUsageAsync(string account, int fromDay, int toDay, CancellationToken cancellationToken) =>
        await Read(
            (work, ct) => PostgresWork.RowsAsync(
                work.Command("SELECT day, category, messages FROM usage WHERE account = @a AND day BETWEEN @f AND @t ORDER BY day, category COLLATE \"C\";").With("a", account).With("f", fromDay).With("t", toDay),
                reader => new UsageEntry(reader.GetInt32(0), reader.GetString(1), reader.GetInt64(2)),
                ct),
            cancellationToken).ConfigureAwait(false);

    private static DeviceRegistration ReadRegistration(NpgsqlDataReader reader) =>
        new(new DeviceAddress(reader.GetString(0), reader.GetInt32(1)), (PartyKind)reader.GetInt32(2), Bytes(reader, 3), reader.GetInt64(4));
}
