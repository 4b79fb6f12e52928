namespace AgentHost.Core.Tenancy;

/// <summary>
/// A project's API key, owned by a service account (one key per account, as the Admin API creates them). Only the
/// key's SHA-256 (<see cref="Hash"/>) is stored: the value is shown once, when the service account is created.
/// </summary>
public sealed record ProjectKey
{
    public required string Id { get; init; }
    public required string Project { get; init; }
    public required string Name { get; init; }
    public required string ServiceAccountId { get; init; }

    /// <summary>The key's first and last characters (<c>sk-proj-…abcd</c>), to tell keys apart in lists.</summary>
    public required string RedactedValue { get; init; }

    public required long CreatedAt { get; init; }

    /// <summary>Lowercase hex SHA-256 of the key's value.</summary>
    public required string Hash { get; init; }

    /// <summary>When the key was last used (Unix seconds), written at most once a minute per key; null before its first use.</summary>
    public long? LastUsedAt { get; init; }
}
