using AgentHost.Core.Storage;

namespace AgentHost.Core.Tenancy;

/// <summary>Projects and their keys, managed with the admin key; not limited by <see cref="ProjectScope"/>.</summary>
public interface IProjectStore
{
    Task CreateProjectAsync(Project project, CancellationToken cancellationToken);
    Task<Project?> GetProjectAsync(string id, CancellationToken cancellationToken);
    Task<Page<Project>> ListProjectsAsync(ListQuery query, bool includeArchived, CancellationToken cancellationToken);

    /// <summary>Saves the project's name and archive time; false when there is no such project.</summary>
    Task<bool> UpdateProjectAsync(Project project, CancellationToken cancellationToken);

    Task CreateKeyAsync(ProjectKey key, CancellationToken cancellationToken);

    /// <summary>The key whose value hashes to <paramref name="hash"/>, or null.</summary>
    Task<ProjectKeyMatch?> FindKeyAsync(string hash, CancellationToken cancellationToken);

    Task<ProjectKey?> GetKeyAsync(string project, string id, CancellationToken cancellationToken);
    Task<Page<ProjectKey>> ListKeysAsync(string project, ListQuery query, CancellationToken cancellationToken);
    Task<bool> DeleteKeyAsync(string project, string id, CancellationToken cancellationToken);

    /// <summary>Records that the key was used at <paramref name="usedAt"/> (Unix seconds).</summary>
    Task MarkKeyUsedAsync(string id, long usedAt, CancellationToken cancellationToken);

    /// <summary>The project's own rate limits (one per model it set), by model name.</summary>
    Task<IReadOnlyList<RateLimits.ProjectRateLimit>> ListRateLimitsAsync(string project, CancellationToken cancellationToken);

    /// <summary>Creates or replaces the project's limits for the model.</summary>
    Task SaveRateLimitAsync(RateLimits.ProjectRateLimit limit, CancellationToken cancellationToken);
}
