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

    /// <summary>
    /// The schema of a data directory a test starts more than one server on (a restart): the same for the same folder,
    /// created by the first server and dropped as the test process exits.
    /// </summary>
    public static async Task<string> SchemaOfDataDirAsync(string dataDir)
    {
        var server = ServerConnectionString();
        var schema = "datadir_" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(dataDir)))[..16].ToLowerInvariant();
        await ExecuteAsync(server, $"CREATE SCHEMA IF NOT EXISTS {schema}");
        if (KeptSchemas.TryAdd(schema, 0) && KeptSchemas.Count == 1)
        {
            AppDomain.CurrentDomain.ProcessExit += (_, _) =>
            {
                foreach (var kept in KeptSchemas.Keys)
                {
                    ExecuteAsync(server, $"DROP SCHEMA IF EXISTS {kept} CASCADE").GetAwaiter().GetResult();
                }
            };
        }

        return new NpgsqlConnectionStringBuilder(server) { SearchPath = schema, ApplicationName = schema }.ConnectionString;
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> KeptSchemas = new();

    private static string ServerConnectionString() => Environment.GetEnvironmentVariable("AGENTHOST_TEST_POSTGRES") is { Length: > 0 } configured
        ? configured
        : throw new InvalidOperationException($"{Variable}=postgres needs AGENTHOST_TEST_POSTGRES (scripts/test.sh starts a server and sets it).");

    /// <summary>A new schema and a connection string on it; the returned action drops it.</summary>
    public static async Task<(string ConnectionString, Func<Task> Drop)> CreatePostgresSchemaAsync()
    {
        var server = ServerConnectionString();
        var schema = "server_" + Guid.NewGuid().ToString("N")[..16];
        await ExecuteAsync(server, $"CREATE SCHEMA {schema}");
        var connectionString = new NpgsqlConnectionStringBuilder(server) { SearchPath = schema, ApplicationName = schema }.ConnectionString;
        return (connectionString, async () =>
        {
            await ExecuteAsync(server, $"DROP SCHEMA {schema} CASCADE");
        });
    }

    /// <summary>Runs <paramref name="test"/> with <paramref name="settings"/> pointed at a new PostgreSQL schema, dropped after.</summary>
    public static async Task OnNewPostgresSchemaAsync(Dictionary<string, string?> settings, Func<Dictionary<string, string?>, Task> test)
    {
        var (connectionString, drop) = await CreatePostgresSchemaAsync();
        try
        {
            settings["ConnectionStrings:Postgres"] = connectionString;
            await test(settings);
        }
        finally
        {
            await drop();
        }
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
