namespace AgentHost.Storage.Postgres;

/// <summary>Values every node sharing the database must agree on: the first node to start stores its value, the others compare theirs.</summary>
public sealed class PostgresClusterSettings(PostgresDatabase database)
{
    /// <summary>The value of <paramref name="name"/> the nodes share: <paramref name="value"/> when this node is the first to set it.</summary>
    public Task<string> AgreeAsync(string name, string value, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t, ct) =>
        {
            await c.Command("INSERT INTO cluster_settings (name, value) VALUES (@name, @value) ON CONFLICT (name) DO NOTHING", t,
                ("@name", name), ("@value", value)).RunAsync(ct);
            await using var read = c.Command("SELECT value FROM cluster_settings WHERE name = @name", t, ("@name", name));
            return (string)(await read.ExecuteScalarAsync(ct))!;
        }, cancellationToken);
}
