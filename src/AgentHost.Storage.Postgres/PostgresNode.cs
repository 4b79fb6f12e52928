using AgentHost.Core.Domain;

namespace AgentHost.Storage.Postgres;

/// <summary>This process among the nodes sharing the database: an id that tells its own notifications from the others'.</summary>
public sealed class PostgresNode
{
    public string Id { get; } = IdGenerator.New("node");
}
