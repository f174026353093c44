using Npgsql;

namespace E2eChat.Relay.Server.Tests.Infrastructure;

/// <summary>Two databases on the test cluster, for the sharded store (created once per test class, dropped after).</summary>
public sealed class TwoDatabasesFixture : IAsyncLifetime
{
    private readonly string[] _names = [$"shard_a_{Guid.NewGuid():N}"[..20], $"shard_b_{Guid.NewGuid():N}"[..20]];

    /// <summary>The two databases' connection strings (pooled, as a relay node would use them).</summary>
    public string[] ConnectionStrings => _names.Select(n => new NpgsqlConnectionStringBuilder(PostgresTestDatabase.AdminConnectionString) { Database = n }.ConnectionString).ToArray();

    public async Task InitializeAsync()
    {
        foreach (string name in _names)
        {
            await PostgresTestDatabase.ScalarAsync($"CREATE DATABASE \"{name}\";");
        }
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        foreach (string name in _names)
        {
            await PostgresTestDatabase.ScalarAsync($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE);");
        }
    }

    /// <summary>Runs a query in one of the databases, in <paramref name="schema"/>.</summary>
    public async Task<List<string>> NamesAsync(int database, string schema, string sql)
    {
        var builder = new NpgsqlConnectionStringBuilder(ConnectionStrings[database]) { Pooling = false, SearchPath = schema };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync();
        var names = new List<string>();
        while (await reader.ReadAsync())
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }

    /// <summary>Drops a schema in both databases.</summary>
    public async Task DropSchemaAsync(string schema)
    {
        foreach (string connectionString in ConnectionStrings)
        {
            await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE;", connection);
            await command.ExecuteNonQueryAsync();
        }
    }
}
