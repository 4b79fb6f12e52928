using System.Collections.Concurrent;
using AgentHost.Core.RateLimits;
using AgentHost.Core.Tenancy;
using Microsoft.Extensions.Options;

namespace AgentHost.Observability.RateLimits;

/// <summary>
/// Which limits apply to a call: the configured defaults (<see cref="RateLimitOptions"/>) and each project's own limits
/// from the store, which a node keeps for <see cref="RateLimitOptions.ProjectLimitsCacheDuration"/> — so a call under no
/// limit costs a dictionary lookup or two, and a project's limits one store read per node per that duration.
/// </summary>
internal sealed class RateLimitPolicy(IOptions<RateLimitOptions> options, IProjectStore? store, TimeProvider time)
{
    private const int MaxCachedProjects = 10_000;
    private static readonly IReadOnlyDictionary<string, ProjectRateLimit> None = new Dictionary<string, ProjectRateLimit>();
    private readonly RateLimitOptions settings = options.Value;
    private readonly ConcurrentDictionary<string, (IReadOnlyDictionary<string, ProjectRateLimit> Limits, DateTimeOffset Until)> projects = new(StringComparer.Ordinal);

    /// <summary>The counters a call to <paramref name="model"/> by <paramref name="project"/> with <paramref name="keyId"/> is charged to; empty when no limit applies.</summary>
    public async ValueTask<RateLimitRule[]> RulesAsync(string project, string? keyId, string model, CancellationToken cancellationToken)
    {
        var own = await ProjectLimitsAsync(project, cancellationToken);
        if (own.Count == 0 && !settings.AnyConfigured)
        {
            return [];
        }

        var (requests, tokens) = Effective(own.GetValueOrDefault(model), Default(settings.Project, model));
        var projectRule = requests is null && tokens is null ? null : new RateLimitRule($"project:{project}:{model}", $"project {project}", requests, tokens);
        var keySetting = keyId is null ? null : Default(settings.Key, model);
        var keyRule = keySetting is null || (Positive(keySetting.RequestsPerMinute) is null && Positive(keySetting.TokensPerMinute) is null)
            ? null
            : new RateLimitRule($"key:{keyId}:{model}", $"key {keyId}", Positive(keySetting.RequestsPerMinute), Positive(keySetting.TokensPerMinute));
        return (projectRule, keyRule) switch
        {
            (null, null) => [],
            ({ } p, null) => [p],
            (null, { } k) => [k],
            ({ } p, { } k) => [p, k],
        };
    }

    /// <summary>The project's limits for <paramref name="model"/> as they apply (null = none), its own where it set them, else the configured ones.</summary>
    public async ValueTask<(long? Requests, long? Tokens)> EffectiveAsync(string project, string model, CancellationToken cancellationToken) =>
        Effective((await ProjectLimitsAsync(project, cancellationToken)).GetValueOrDefault(model), Default(settings.Project, model));

    /// <summary>The configured default for <paramref name="model"/> (null = none), before any project's own.</summary>
    public (long? Requests, long? Tokens) Configured(string model) => Effective(null, Default(settings.Project, model));

    /// <summary>The models named in the configuration (not <c>*</c>).</summary>
    public IEnumerable<string> ConfiguredModels => settings.Project.Keys.Where(m => m != RateLimitOptions.AnyModel);

    /// <summary>Drops this node's copy of the project's limits (they were just changed here).</summary>
    public void Forget(string project) => projects.TryRemove(project, out _);

    private async ValueTask<IReadOnlyDictionary<string, ProjectRateLimit>> ProjectLimitsAsync(string project, CancellationToken cancellationToken)
    {
        if (store is null)
        {
            return None;
        }

        var now = time.GetUtcNow();
        if (projects.TryGetValue(project, out var cached) && cached.Until > now)
        {
            return cached.Limits;
        }

        var limits = await store.ListRateLimitsAsync(project, cancellationToken);
        IReadOnlyDictionary<string, ProjectRateLimit> byModel = limits.Count == 0 ? None : limits.ToDictionary(l => l.Model, StringComparer.Ordinal);
        if (projects.Count >= MaxCachedProjects)
        {
            projects.Clear();
        }

        projects[project] = (byModel, now + settings.ProjectLimitsCacheDuration);
        return byModel;
    }

    private static RateLimitSetting? Default(Dictionary<string, RateLimitSetting> models, string model) =>
        models.Count == 0 ? null : models.GetValueOrDefault(model) ?? models.GetValueOrDefault(RateLimitOptions.AnyModel);

    private static (long? Requests, long? Tokens) Effective(ProjectRateLimit? own, RateLimitSetting? configured) =>
        (Positive(own?.MaxRequestsPerMinute ?? configured?.RequestsPerMinute), Positive(own?.MaxTokensPerMinute ?? configured?.TokensPerMinute));

    private static long? Positive(long? value) => value > 0 ? value : null;
}
