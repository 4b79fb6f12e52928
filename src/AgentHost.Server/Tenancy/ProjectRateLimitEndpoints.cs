using AgentHost.Core.Errors;
using AgentHost.Core.Models;
using AgentHost.Core.RateLimits;
using AgentHost.Core.Storage;
using AgentHost.Core.Tenancy;
using AgentHost.Observability.RateLimits;
using AgentHost.Server.Http;

namespace AgentHost.Server.Tenancy;

/// <summary>
/// A project's rate limits, as the Admin API's: <c>GET …/rate_limits</c> lists one <c>project.rate_limit</c> (id
/// <c>rl-{model}</c>) per model AgentHost serves or has limits for, and <c>POST …/rate_limits/{id}</c> sets the
/// project's own limits for that model (0 = no limit), which replace the configured defaults for it.
/// </summary>
internal static class ProjectRateLimitEndpoints
{
    private static readonly string[] Unsupported =
        ["max_images_per_1_minute", "max_audio_megabytes_per_1_minute", "max_requests_per_1_day", "batch_1_day_max_input_tokens"];

    public static void MapProjectRateLimitEndpoints(this RouteGroupBuilder projects)
    {
        projects.MapGet("/{projectId}/rate_limits", ListAsync);
        projects.MapPost("/{projectId}/rate_limits/{rateLimitId}", ModifyAsync);
    }

    private static async Task<IResult> ListAsync(string projectId, HttpRequest http, IProjectStore store, IModelRouter router, RateLimitPolicy policy,
        CancellationToken cancellationToken)
    {
        var query = ListQueryReader.Read(http) with { Ascending = true };
        var limit = http.Query.ContainsKey("limit") ? query.Limit : 100;
        await ProjectEndpoints.FindAsync(store, projectId, cancellationToken);
        var own = await store.ListRateLimitsAsync(projectId, cancellationToken);
        var ids = Models(router, policy, own).Select(m => ProjectRateLimitView.IdPrefix + m).ToList();
        var start = query.After is { } after ? ids.IndexOf(after) + 1 : 0;
        var end = query.Before is { } before && ids.IndexOf(before) is >= 0 and var index ? index : ids.Count;
        if (query.Before is not null && query.After is null)
        {
            start = Math.Max(0, end - limit);
        }

        var page = ids.Skip(start).Take(Math.Max(0, Math.Min(limit, end - start))).ToList();
        var views = new List<ProjectRateLimitView>(page.Count);
        foreach (var id in page)
        {
            var model = id[ProjectRateLimitView.IdPrefix.Length..];
            views.Add(ProjectRateLimitView.Of(model, await policy.EffectiveAsync(projectId, model, cancellationToken)));
        }

        var list = ListResponse<ProjectRateLimitView>.From(new Page<ProjectRateLimitView>(views, start + page.Count < end), v => v.Id);
        return TypedResults.Json(list, ProjectsJsonContext.Default.ListResponseProjectRateLimitView);
    }

    private static async Task<IResult> ModifyAsync(string projectId, string rateLimitId, HttpRequest http, IProjectStore store, IModelRouter router,
        RateLimitPolicy policy, CancellationToken cancellationToken)
    {
        var request = (await JsonRequest.ReadAsync(http, cancellationToken)).Allow(["max_requests_per_1_minute", "max_tokens_per_1_minute", .. Unsupported]);
        foreach (var field in Unsupported.Where(request.HasNonNull))
        {
            throw ApiException.Invalid($"'{field}' is not limited by AgentHost: it limits requests and tokens per minute only.", field, "unsupported_parameter");
        }

        var requests = request.Integer("max_requests_per_1_minute", 0);
        var tokens = request.Integer("max_tokens_per_1_minute", 0);
        await ProjectEndpoints.FindAsync(store, projectId, cancellationToken);
        var own = await store.ListRateLimitsAsync(projectId, cancellationToken);
        var model = rateLimitId.StartsWith(ProjectRateLimitView.IdPrefix, StringComparison.Ordinal) ? rateLimitId[ProjectRateLimitView.IdPrefix.Length..] : null;
        if (model is null || !Models(router, policy, own).Contains(model))
        {
            throw ApiException.NotFound("rate limit", rateLimitId, "rate_limit_id");
        }

        var current = own.FirstOrDefault(l => l.Model == model);
        await store.SaveRateLimitAsync(new ProjectRateLimit
        {
            Project = projectId,
            Model = model,
            MaxRequestsPerMinute = requests ?? current?.MaxRequestsPerMinute,
            MaxTokensPerMinute = tokens ?? current?.MaxTokensPerMinute,
        }, cancellationToken);
        policy.Forget(projectId);
        return TypedResults.Json(ProjectRateLimitView.Of(model, await policy.EffectiveAsync(projectId, model, cancellationToken)),
            ProjectsJsonContext.Default.ProjectRateLimitView);
    }

    /// <summary>The models a project has limits for: those AgentHost serves, those the configuration names, and those the project set, by name.</summary>
    private static SortedSet<string> Models(IModelRouter router, RateLimitPolicy policy, IReadOnlyList<ProjectRateLimit> own) =>
        new([.. router.KnownModels, .. policy.ConfiguredModels, .. own.Select(l => l.Model)], StringComparer.Ordinal);
}
