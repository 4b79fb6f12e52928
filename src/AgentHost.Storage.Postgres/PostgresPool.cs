namespace AgentHost.Storage.Postgres;

/// <summary>Which of a node's connection pools an operation uses.</summary>
public enum PostgresPool
{
    /// <summary>The pool of requests and runs.</summary>
    Default,

    /// <summary>Two connections of their own for the run sweep (renewing leases, finding runs to resume), so it never waits behind runs.</summary>
    Leases,
}
