namespace E2eChat.Relay.Server.Storage.Postgres;

/// <content>The key directory.</content>
internal sealed partial class PostgresRelayStore
{
    private const string CountSql =
        "SELECT (SELECT count(*) FROM one_time_prekeys WHERE name = @n AND device = @d), (SELECT count(*) FROM one_time_kem_prekeys WHERE name = @n AND device = @d);";

    /// <inheritdoc />
    public ValueTask<PublishOutcome> PublishPreKeysAsync(DeviceAddress device, PreKeyUpload upload, int maxOneTimePerKind, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(upload);
        return Write(
            async (work, ct) =>
            {
                // The device row's lock serializes uploads of one device on every node, so two of them
                // cannot both pass the bound.
                await PostgresWork.ExecuteAsync(work.Command("SELECT 1 FROM devices WHERE name = @n AND device = @d FOR UPDATE;").WithDevice(device), ct).ConfigureAwait(false);
                if (upload.SignedPreKey is { } signed)
                {
                    await PostgresWork.ExecuteAsync(
                        work.Command("INSERT INTO signed_prekeys (name, device, id, public_key, signature) VALUES (@n, @d, @i, @p, @s) ON CONFLICT (name, device) DO UPDATE SET id = excluded.id, public_key = excluded.public_key, signature = excluded.signature;")
                            .WithDevice(device).With("i", (long)signed.Id).With("p", signed.PublicKey).With("s", signed.Signature),
                        ct).ConfigureAwait(false);
                }

                if (upload.LastResortKemPreKey is { } lastResort)
                {
                    await PostgresWork.ExecuteAsync(
                        work.Command("INSERT INTO last_resort_kem_prekeys (name, device, id, public_key, signature) VALUES (@n, @d, @i, @p, @s) ON CONFLICT (name, device) DO UPDATE SET id = excluded.id, public_key = excluded.public_key, signature = excluded.signature;")
                            .WithDevice(device).With("i", (long)lastResort.Id).With("p", lastResort.PublicKey).With("s", lastResort.Signature),
                        ct).ConfigureAwait(false);
                }

                foreach (OneTimePreKeyRecord key in upload.OneTimePreKeys)
                {
                    await PostgresWork.ExecuteAsync(
                        work.Command("INSERT INTO one_time_prekeys (name, device, id, public_key) VALUES (@n, @d, @i, @p) ON CONFLICT (name, device, id) DO UPDATE SET public_key = excluded.public_key;")
                            .WithDevice(device).With("i", (long)key.Id).With("p", key.PublicKey),
                        ct).ConfigureAwait(false);
                }

                foreach (KemPreKeyRecord key in upload.OneTimeKemPreKeys)
                {
                    await PostgresWork.ExecuteAsync(
                        work.Command("INSERT INTO one_time_kem_prekeys (name, device, id, public_key, signature) VALUES (@n, @d, @i, @p, @s) ON CONFLICT (name, device, id) DO UPDATE SET public_key = excluded.public_key, signature = excluded.signature;")
                            .WithDevice(device).With("i", (long)key.Id).With("p", key.PublicKey).With("s", key.Signature),
                        ct).ConfigureAwait(false);
                }

                PreKeyCounts counts = await CountAsync(work, device, ct).ConfigureAwait(false);
                if (counts.OneTime > maxOneTimePerKind || counts.OneTimeKem > maxOneTimePerKind)
                {
                    work.Abort();
                    return new PublishOutcome(false, default);
                }

                return new PublishOutcome(true, counts);
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<PreKeyCounts> CountPreKeysAsync(DeviceAddress device, CancellationToken cancellationToken) =>
        Read((work, ct) => CountAsync(work, device, ct), cancellationToken);

    /// <inheritdoc />
    public ValueTask<ClaimedBundle?> ClaimBundleAsync(DeviceAddress device, CancellationToken cancellationToken) =>
        Write<ClaimedBundle?>(
            async (work, ct) =>
            {
                DeviceRegistration? registration = (await PostgresWork.RowsAsync(work.Command(SelectDevice + "WHERE d.name = @n AND d.device = @d;").WithDevice(device), ReadRegistration, ct).ConfigureAwait(false)).SingleOrDefault();
                SignedPreKeyRecord? signed = (await PostgresWork.RowsAsync(
                    work.Command("SELECT id, public_key, signature FROM signed_prekeys WHERE name = @n AND device = @d;").WithDevice(device),
                    reader => new SignedPreKeyRecord((uint)reader.GetInt64(0), Bytes(reader, 1), Bytes(reader, 2)),
                    ct).ConfigureAwait(false)).SingleOrDefault();
                KemPreKeyRecord? lastResort = (await PostgresWork.RowsAsync(
                    work.Command("SELECT id, public_key, signature FROM last_resort_kem_prekeys WHERE name = @n AND device = @d;").WithDevice(device),
                    reader => new KemPreKeyRecord((uint)reader.GetInt64(0), Bytes(reader, 1), Bytes(reader, 2)),
                    ct).ConfigureAwait(false)).SingleOrDefault();
                if (registration is null || signed is null || lastResort is null)
                {
                    return null;
                }

                // SKIP LOCKED: a concurrent claim (on any node) that holds the lowest key makes this one
                // take the next, instead of waiting and then finding its choice deleted.
                OneTimePreKeyRecord? oneTime = (await PostgresWork.RowsAsync(
                    work.Command("DELETE FROM one_time_prekeys WHERE (name, device, id) = (SELECT name, device, id FROM one_time_prekeys WHERE name = @n AND device = @d ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING id, public_key;").WithDevice(device),
                    reader => new OneTimePreKeyRecord((uint)reader.GetInt64(0), Bytes(reader, 1)),
                    ct).ConfigureAwait(false)).SingleOrDefault();
                KemPreKeyRecord? kem = (await PostgresWork.RowsAsync(
                    work.Command("DELETE FROM one_time_kem_prekeys WHERE (name, device, id) = (SELECT name, device, id FROM one_time_kem_prekeys WHERE name = @n AND device = @d ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING id, public_key, signature;").WithDevice(device),
                    reader => new KemPreKeyRecord((uint)reader.GetInt64(0), Bytes(reader, 1), Bytes(reader, 2)),
                    ct).ConfigureAwait(false)).SingleOrDefault();
                return new ClaimedBundle(registration, signed, oneTime, kem ?? lastResort, kem is null);
            },
            cancellationToken);

    private static async Task<PreKeyCounts> CountAsync(PostgresWork work, DeviceAddress device, CancellationToken cancellationToken)
    {
        List<PreKeyCounts> rows = await PostgresWork.RowsAsync(
            work.Command(CountSql).WithDevice(device),
            reader => new PreKeyCounts((int)reader.GetInt64(0), (int)reader.GetInt64(1)),
            cancellationToken).ConfigureAwait(false);
        return rows[0];
    }
}
