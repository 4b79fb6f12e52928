using AgentHost.Core.Tenancy;

namespace AgentHost.Server.Tenancy;

/// <summary><c>organization.project</c>, as the Admin API shows a project.</summary>
internal sealed record ProjectView(string Id, string Object, string Name, long CreatedAt, long? ArchivedAt, string Status, string? ExternalKeyId)
{
    public static ProjectView Of(Project project) =>
        new(project.Id, "organization.project", project.Name, project.CreatedAt, project.ArchivedAt, project.Status, null);
}

/// <summary><c>organization.project.service_account</c> as created, with its key's value shown this once.</summary>
internal sealed record ServiceAccountCreated(string Object, string Id, string Name, string Role, long CreatedAt, ServiceAccountKey ApiKey);

internal sealed record ServiceAccountKey(string Object, string Value, string Name, long CreatedAt, string Id);

/// <summary><c>organization.project.api_key</c>: a key as listed, its value redacted.</summary>
internal sealed record ProjectKeyView(string Object, string RedactedValue, string Name, long CreatedAt, long? LastUsedAt, string Id,
    string OwnerProjectAccess, ProjectKeyOwner Owner)
{
    public static ProjectKeyView Of(ProjectKey key) => new("organization.project.api_key", key.RedactedValue, key.Name, key.CreatedAt, key.LastUsedAt, key.Id, "active",
        new ProjectKeyOwner("service_account", new ServiceAccountView("organization.project.service_account", key.ServiceAccountId, key.Name, "member", key.CreatedAt)));
}

internal sealed record ProjectKeyOwner(string Type, ServiceAccountView ServiceAccount);

internal sealed record ServiceAccountView(string Object, string Id, string Name, string Role, long CreatedAt);

internal sealed record ProjectKeyDeleted(string Object, string Id, bool Deleted);

/// <summary><c>project.rate_limit</c>: a project's limits for one model as they apply (0 = no limit).</summary>
internal sealed record ProjectRateLimitView(
    string Object,
    string Id,
    string Model,
    [property: System.Text.Json.Serialization.JsonPropertyName("max_requests_per_1_minute")] long MaxRequestsPerMinute,
    [property: System.Text.Json.Serialization.JsonPropertyName("max_tokens_per_1_minute")] long MaxTokensPerMinute)
{
    public const string IdPrefix = "rl-";

    public static ProjectRateLimitView Of(string model, (long? Requests, long? Tokens) limits) =>
        new("project.rate_limit", IdPrefix + model, model, limits.Requests ?? 0, limits.Tokens ?? 0);
}
