using System.ClientModel;
using AgentHost.Server.Tests.Support;
using Npgsql;
using OpenAI.Assistants;

namespace AgentHost.Server.Tests.Nodes;

/// <summary>
/// Several AgentHost processes, each with its own data directory, sharing one PostgreSQL schema and one scripted model:
/// a cluster on one machine. Queries go straight to the shared schema to check what the nodes did.
/// </summary>
internal sealed class ClusterHarness : IAsyncDisposable
{
    private readonly List<string> dataDirs = [];
    private readonly Func<Task> dropSchema;

    private ClusterHarness(ScriptedUpstream upstream, string connectionString, Func<Task> dropSchema)
    {
        SharedDirectory = Directory.CreateTempSubdirectory("agenthost-shared-").FullName;
        dataDirs.Add(SharedDirectory);
        Upstream = upstream;
        ConnectionString = connectionString;
        this.dropSchema = dropSchema;
    }

    public ScriptedUpstream Upstream { get; }

    /// <summary>File bytes, shared by every node (as an NFS mount would be).</summary>
    public string SharedDirectory { get; }

    public string ConnectionString { get; }

    public List<ServerProcess> Nodes { get; } = [];

    /// <summary>Starts <paramref name="nodes"/> nodes, each with <paramref name="settings"/> (command-line configuration, overriding the defaults).</summary>
    public static async Task<ClusterHarness> StartAsync(int nodes, params string[] settings)
    {
        var upstream = await ScriptedUpstream.StartAsync();
        var (connectionString, drop) = await TestStore.CreatePostgresSchemaAsync();
        var cluster = new ClusterHarness(upstream, connectionString, drop);
        await Task.WhenAll(Enumerable.Range(0, nodes).Select(_ => cluster.StartNodeAsync(settings)));
        return cluster;
    }

    public async Task<ServerProcess> StartNodeAsync(params string[] settings)
    {
        var dataDir = Directory.CreateTempSubdirectory("agenthost-node-").FullName;
        lock (dataDirs)
        {
            dataDirs.Add(dataDir);
        }

        var node = await ServerProcess.StartAsync(ServerProcess.FreePort(), dataDir,
        [
            $"--ConnectionStrings:Postgres={ConnectionString}",
            $"--AgentHost:Postgres:SharedDirectory={SharedDirectory}",
            $"--AgentHost:Providers:OpenAI:BaseUrl={Upstream.BaseUrl}",
            "--AgentHost:Providers:Retry:MaxAttempts=1",
            "--AgentHost:Runs:SweepInterval=00:00:00.200",
            "--AgentHost:Runs:LeaseDuration=00:00:20",
            "--AgentHost:ReasoningKey=cluster-harness-reasoning-key",
            "--Logging:LogLevel:AgentHost=Warning",
            .. settings,
        ]);
        lock (Nodes)
        {
            Nodes.Add(node);
        }

        return node;
    }

    public static AssistantClient Client(ServerProcess node) =>
        new(new ApiKeyCredential("k"), new AssistantClientOptions { Endpoint = node.BaseUri, NetworkTimeout = TimeSpan.FromSeconds(60) });

    /// <summary>Runs per status, read from the shared schema.</summary>
    public async Task<Dictionary<string, long>> RunStatusesAsync()
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT status, COUNT(*) FROM runs GROUP BY status", connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            counts[reader.GetString(0)] = reader.GetInt64(1);
        }

        return counts;
    }

    /// <summary>Waits until <paramref name="count"/> runs are completed; fails naming the statuses at the deadline.</summary>
    public async Task WaitForCompletedAsync(int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var statuses = await RunStatusesAsync();
            if (statuses.GetValueOrDefault("completed") >= count)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, "Runs not completed in time: " + string.Join(", ", statuses.Select(s => $"{s.Key}={s.Value}")));
            await Task.Delay(200);
        }
    }

    /// <summary>A number read from the shared schema.</summary>
    public async Task<long> CountAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>A text read from the shared schema.</summary>
    public async Task<string> TextAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return await command.ExecuteScalarAsync() as string ?? "(null)";
    }

    /// <summary>How many messages each role has on each thread.</summary>
    public async Task<List<(string Thread, long User, long Assistant)>> MessageCountsAsync()
    {
        var rows = new List<(string, long, long)>();
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT thread_id, COUNT(*) FILTER (WHERE run_id IS NULL), COUNT(*) FILTER (WHERE run_id IS NOT NULL) FROM messages GROUP BY thread_id", connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2)));
        }

        return rows;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Nodes)
        {
            node.Dispose();
        }

        await Upstream.DisposeAsync();
        await dropSchema();
        foreach (var dir in dataDirs)
        {
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
                // The temp folder is the OS's to clean.
            }
        }
    }
}
