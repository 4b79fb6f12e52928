using AgentHost.Testing.Requirements;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace AgentHost.Storage.Postgres.Tests;

/// <summary>
/// A fresh schema on the test server (<c>AGENTHOST_TEST_POSTGRES</c>, started by scripts/test.sh) per test, so tests run
/// in parallel on one database without seeing each other's rows; dropped on dispose.
/// </summary>
internal sealed class TestDatabase : IAsyncDisposable
{
    private TestDatabase(string schema, string connectionString)
    {
        Schema = schema;
        ConnectionString = connectionString;
    }

    public static string? Unavailable => TestComponents.SkipReason(["postgres"]);

    public static string ServerConnectionString => Environment.GetEnvironmentVariable("AGENTHOST_TEST_POSTGRES")
        ?? throw new InvalidOperationException(TestComponents.Missing("postgres"));

    /// <summary>The test's schema, also the application name of its connections.</summary>
    public string Schema { get; }

    /// <summary>The connection string with its search path on this test's schema.</summary>
    public string ConnectionString { get; }

    public static async Task<TestDatabase> CreateAsync()
    {
        var schema = "test_" + Guid.NewGuid().ToString("N")[..16];
        await using (var connection = new NpgsqlConnection(ServerConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE SCHEMA {schema}", connection);
            await command.ExecuteNonQueryAsync();
        }

        var builder = new NpgsqlConnectionStringBuilder(ServerConnectionString) { SearchPath = schema, MaxPoolSize = 20, ApplicationName = schema };
        return new TestDatabase(schema, builder.ConnectionString);
    }

    public PostgresDatabase Open() => new(ConnectionString, TimeProvider.System, NullLogger<PostgresDatabase>.Instance);

    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public async ValueTask DisposeAsync()
    {
        await using var connection = new NpgsqlConnection(ServerConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP SCHEMA {Schema} CASCADE", connection);
        await command.ExecuteNonQueryAsync();
    }
}
