namespace AgentHost.Storage.Postgres;

/// <summary>Where AgentHost keeps its state on PostgreSQL.</summary>
public sealed class PostgresStorageOptions
{
    /// <summary>The Npgsql connection string (<c>ConnectionStrings:Postgres</c>, env <c>ConnectionStrings__Postgres</c>).</summary>
    public string ConnectionString { get; set; } = string.Empty;

    /// <summary>
    /// Where file and upload bytes go (<c>files/</c> and <c>uploads/</c> below it). Nodes sharing one database must
    /// share this directory too (e.g. an NFS mount); it defaults to the node's data directory.
    /// </summary>
    public string? SharedDirectory { get; set; }
}
