using Npgsql;

namespace E2eChat.Relay.Server.Tests.Infrastructure;

/// <summary>
/// The throwaway PostgreSQL cluster the tests run against (started by <c>.ci/postgres.sh</c>, which
/// exports <see cref="EnvironmentVariable"/>). Without it the PostgreSQL tests fail: they never skip.
/// Each test gets its own schema (or database), so tests stay independent and run in parallel.
/// </summary>
internal static class PostgresTestDatabase
{
    public const string EnvironmentVariable = "E2ECHAT_POSTGRES";

    /// <summary>The admin connection string of the test cluster.</summary>
    public static string AdminConnectionString =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{EnvironmentVariable} is not set. Start a throwaway PostgreSQL cluster first: eval \"$(bash .ci/postgres.sh start)\" " +
                "(README, \"Scale-out on PostgreSQL\"). The PostgreSQL tests fail without it; they never skip.");

    /// <summary>Restarts the test cluster (fast shutdown, then start) with <c>.ci/postgres.sh restart</c>.</summary>
    public static async Task RestartAsync()
    {
        string directory = Environment.GetEnvironmentVariable("E2ECHAT_POSTGRES_DIR")
            ?? throw new InvalidOperationException("E2ECHAT_POSTGRES_DIR is not set: start the cluster with .ci/postgres.sh.");
        string? root = AppContext.BaseDirectory;
        while (root is not null && !File.Exists(Path.Combine(root, ".ci", "postgres.sh")))
        {
            root = Path.GetDirectoryName(root.TrimEnd(Path.DirectorySeparatorChar));
        }

        var start = new System.Diagnostics.ProcessStartInfo("bash") { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(Path.Combine(root ?? throw new InvalidOperationException(".ci/postgres.sh not found above the test binaries"), ".ci", "postgres.sh"));
        start.ArgumentList.Add("restart");
        start.ArgumentList.Add(directory);
        using System.Diagnostics.Process process = System.Diagnostics.Process.Start(start)!;
        Task<string> error = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(120));
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException("restarting PostgreSQL failed: " + await error);
        }
    }

    /// <summary>The admin connection string without pooling (a restart of the cluster leaves no dead pooled connection behind).</summary>
    public static string Unpooled() => new NpgsqlConnectionStringBuilder(AdminConnectionString) { Pooling = false }.ConnectionString;

    /// <summary>A fresh schema name (the store creates the schema).</summary>
    public static string NewSchemaName() => "t_" + Guid.NewGuid().ToString("N")[..20];

    /// <summary>Drops a schema and everything in it.</summary>
    public static async Task DropSchemaAsync(string schema)
    {
        await using var connection = new NpgsqlConnection(Unpooled());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE;", connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Runs one statement on the admin connection, in <paramref name="schema"/> when given.</summary>
    public static async Task<object?> ScalarAsync(string sql, string? schema = null)
    {
        var builder = new NpgsqlConnectionStringBuilder(Unpooled()) { SearchPath = schema };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }
}
