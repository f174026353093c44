using Microsoft.Data.Sqlite;

namespace E2eChat.Relay.Server.Storage.Sqlite;

/// <content>The key directory.</content>
internal sealed partial class SqliteRelayStore
{
    /// <inheritdoc />
    public ValueTask<PublishOutcome> PublishPreKeysAsync(DeviceAddress device, PreKeyUpload upload, int maxOneTimePerKind, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(upload);
        return Write(
            () =>
            {
                if (upload.SignedPreKey is { } signed)
                {
                    Command("INSERT INTO signed_prekeys (name, device, id, public_key, signature) VALUES ($n, $d, $i, $p, $s) ON CONFLICT (name, device) DO UPDATE SET id = excluded.id, public_key = excluded.public_key, signature = excluded.signature;")
                        .WithDevice(device).With("$i", (long)signed.Id).With("$p", signed.PublicKey).With("$s", signed.Signature).ExecuteNonQuery();
                }

                if (upload.LastResortKemPreKey is { } lastResort)
                {
                    Command("INSERT INTO last_resort_kem_prekeys (name, device, id, public_key, signature) VALUES ($n, $d, $i, $p, $s) ON CONFLICT (name, device) DO UPDATE SET id = excluded.id, public_key = excluded.public_key, signature = excluded.signature;")
                        .WithDevice(device).With("$i", (long)lastResort.Id).With("$p", lastResort.PublicKey).With("$s", lastResort.Signature).ExecuteNonQuery();
                }

                foreach (OneTimePreKeyRecord key in upload.OneTimePreKeys)
                {
                    Command("INSERT INTO one_time_prekeys (name, device, id, public_key) VALUES ($n, $d, $i, $p) ON CONFLICT (name, device, id) DO UPDATE SET public_key = excluded.public_key;")
                        .WithDevice(device).With("$i", (long)key.Id).With("$p", key.PublicKey).ExecuteNonQuery();
                }

                foreach (KemPreKeyRecord key in upload.OneTimeKemPreKeys)
                {
                    Command("INSERT INTO one_time_kem_prekeys (name, device, id, public_key, signature) VALUES ($n, $d, $i, $p, $s) ON CONFLICT (name, device, id) DO UPDATE SET public_key = excluded.public_key, signature = excluded.signature;")
                        .WithDevice(device).With("$i", (long)key.Id).With("$p", key.PublicKey).With("$s", key.Signature).ExecuteNonQuery();
                }

                PreKeyCounts counts = CountWithWriter(device);
                if (counts.OneTime > maxOneTimePerKind || counts.OneTimeKem > maxOneTimePerKind)
                {
                    Abort();
                    return new PublishOutcome(false, default);
                }

                return new PublishOutcome(true, counts);
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<PreKeyCounts> CountPreKeysAsync(DeviceAddress device, CancellationToken cancellationToken) =>
        Read(
            connection =>
            {
                SqliteCommand command = connection.Command(CountSql).WithDevice(device);
                using SqliteDataReader reader = command.ExecuteReader();
                reader.Read();
                return new PreKeyCounts(reader.GetInt32(0), reader.GetInt32(1));
            },
            cancellationToken);

    /// <inheritdoc />
    public ValueTask<ClaimedBundle?> ClaimBundleAsync(DeviceAddress device, CancellationToken cancellationToken) =>
        Write(
            () =>
            {
                DeviceRegistration? registration;
                using (SqliteDataReader reader = Command(SelectDevice + "WHERE d.name = $n AND d.device = $d;").WithDevice(device).ExecuteReader())
                {
                    registration = reader.Read() ? ReadRegistration(reader) : null;
                }

                SignedPreKeyRecord? signed = null;
                using (SqliteDataReader reader = Command("SELECT id, public_key, signature FROM signed_prekeys WHERE name = $n AND device = $d;").WithDevice(device).ExecuteReader())
                {
                    if (reader.Read())
                    {
                        signed = new SignedPreKeyRecord((uint)reader.GetInt64(0), Bytes(reader, 1), Bytes(reader, 2));
                    }
                }

                KemPreKeyRecord? lastResort = null;
                using (SqliteDataReader reader = Command("SELECT id, public_key, signature FROM last_resort_kem_prekeys WHERE name = $n AND device = $d;").WithDevice(device).ExecuteReader())
                {
                    if (reader.Read())
                    {
                        lastResort = new KemPreKeyRecord((uint)reader.GetInt64(0), Bytes(reader, 1), Bytes(reader, 2));
                    }
                }

                if (registration is null || signed is null || lastResort is null)
                {
                    return null;
                }

                OneTimePreKeyRecord? oneTime = null;
                using (SqliteDataReader reader = Command("DELETE FROM one_time_prekeys WHERE name = $n AND device = $d AND id = (SELECT id FROM one_time_prekeys WHERE name = $n AND device = $d ORDER BY id LIMIT 1) RETURNING id, public_key;").WithDevice(device).ExecuteReader())
                {
                    if (reader.Read())
                    {
                        oneTime = new OneTimePreKeyRecord((uint)reader.GetInt64(0), Bytes(reader, 1));
                    }
                }

                KemPreKeyRecord? kem = null;
                using (SqliteDataReader reader = Command("DELETE FROM one_time_kem_prekeys WHERE name = $n AND device = $d AND id = (SELECT id FROM one_time_kem_prekeys WHERE name = $n AND device = $d ORDER BY id LIMIT 1) RETURNING id, public_key, signature;").WithDevice(device).ExecuteReader())
                {
                    if (reader.Read())
                    {
                        kem = new KemPreKeyRecord((uint)reader.GetInt64(0), Bytes(reader, 1), Bytes(reader, 2));
                    }
                }

                return new ClaimedBundle(registration, signed, oneTime, kem ?? lastResort, kem is null);
            },
            cancellationToken);

    private const string CountSql =
        "SELECT (SELECT COUNT(*) FROM one_time_prekeys WHERE name = $n AND device = $d), (SELECT COUNT(*) FROM one_time_kem_prekeys WHERE name = $n AND device = $d);";

    private PreKeyCounts CountWithWriter(DeviceAddress device)
    {
        using SqliteDataReader reader = Command(CountSql).WithDevice(device).ExecuteReader();
        reader.Read();
        return new PreKeyCounts(reader.GetInt32(0), reader.GetInt32(1));
    }
}
