using Npgsql;

namespace AgentHost.Bench;

/// <summary>
/// Streamed runs per second with 1, 2 and 3 AgentHost nodes on one PostgreSQL schema, next to one node on SQLite. The
/// nodes are full AgentHost hosts in this process (each its own port, data folder, run worker and pools), on the same
/// cores; clients spread their runs over them round robin, and a streamed run executes on the node that accepted it.
/// </summary>
internal static class NodesScenario
{
    public static async Task RunAsync(BenchOptions options)
    {
        var server = options.Postgres ?? Environment.GetEnvironmentVariable("AGENTHOST_TEST_POSTGRES")
            ?? throw new ArgumentException("--scenario nodes needs --postgres \"Host=…;Username=…;Database=…\" (or AGENTHOST_TEST_POSTGRES).");
        var results = new List<LoadRunner.Result>();
        await using (var sqlite = await BenchHost.StartAsync())
        {
            results.Add(await MeasureAsync("1 node, SQLite", [sqlite], options));
        }

        foreach (var count in new[] { 1, 2, 3 })
        {
            var schema = "bench_" + Guid.NewGuid().ToString("N")[..12];
            await ExecuteAsync(server, $"CREATE SCHEMA {schema}");
            var connectionString = new NpgsqlConnectionStringBuilder(server) { SearchPath = schema }.ConnectionString;
            var nodes = new List<BenchHost>();
            try
            {
                for (var i = 0; i < count; i++)
                {
                    nodes.Add(await BenchHost.StartAsync($"--ConnectionStrings:Postgres={connectionString}"));
                }

                results.Add(await MeasureAsync($"{count} node{(count > 1 ? "s" : string.Empty)}, PostgreSQL", nodes, options));
            }
            finally
            {
                foreach (var node in nodes)
                {
                    await node.DisposeAsync();
                }

                NpgsqlConnection.ClearAllPools();
                await ExecuteAsync(server, $"DROP SCHEMA {schema} CASCADE");
            }
        }

        Report.Load("Streamed runs per second by node count (nodes in this process, one PostgreSQL)", options, results);
    }

    private static async Task<LoadRunner.Result> MeasureAsync(string name, List<BenchHost> nodes, BenchOptions options)
    {
        Console.Error.WriteLine($"{DateTime.UtcNow:HH:mm:ss} measuring {name}");
        var assistantId = await nodes[0].CreateAssistantAsync();
        var scenarios = nodes.Select(n => new ThroughputScenario(n, assistantId, options)).ToArray();
        var next = 0;
        return await LoadRunner.RunAsync(name, options, ct => scenarios[(int)((uint)Interlocked.Increment(ref next) % scenarios.Length)].StreamedRunAsync(ct));
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
