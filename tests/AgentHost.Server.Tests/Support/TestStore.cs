using Npgsql;

namespace AgentHost.Server.Tests.Support;

/// <summary>
/// The store the test servers run on: SQLite in their data directory, or with <c>AGENTHOST_TEST_STORE=postgres</c>
/// PostgreSQL (the server of <c>AGENTHOST_TEST_POSTGRES</c>, which scripts/test.sh starts), one fresh schema per server.
/// </summary>
internal static class TestStore
{
    public const string Variable = "AGENTHOST_TEST_STORE";

    public static bool IsPostgres => Environment.GetEnvironmentVariable(Variable) == "postgres";

    /// <summary>A new schema and a connection string on it; the returned action drops it.</summary>
    public static async Task<(string ConnectionString, Func<Task> Drop)> CreatePostgresSchemaAsync()
    {
        var server = Environment.GetEnvironmentVariable("AGENTHOST_TEST_POSTGRES") is { Length: > 0 } configured
            ? configured
            : throw new InvalidOperationException($"{Variable}=postgres needs AGENTHOST_TEST_POSTGRES (scripts/test.sh starts a server and sets it).");
        var schema = "server_" + Guid.NewGuid().ToString("N")[..16];
        await ExecuteAsync(server, $"CREATE SCHEMA {schema}");
        var connectionString = new NpgsqlConnectionStringBuilder(server) { SearchPath = schema, ApplicationName = schema }.ConnectionString;
        return (connectionString, async () =>
        {
            await ExecuteAsync(server, $"DROP SCHEMA {schema} CASCADE");
        });
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
