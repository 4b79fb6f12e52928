namespace AgentHost.Core.Tenancy;

/// <summary>A project (tenant): every object belongs to one, and a project key sees only its own project's objects.</summary>
public sealed record Project
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required long CreatedAt { get; init; }

    /// <summary>When the project was archived; its keys are refused from then on.</summary>
    public long? ArchivedAt { get; init; }

    public string Status => ArchivedAt is null ? "active" : "archived";
}
