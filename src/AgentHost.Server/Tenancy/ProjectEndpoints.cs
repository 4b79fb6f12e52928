using AgentHost.Core.Domain;
using AgentHost.Core.Errors;
using AgentHost.Core.Tenancy;
using AgentHost.Server.Http;

namespace AgentHost.Server.Tenancy;

/// <summary>
/// The Admin API's projects, as OpenAI's: <c>/v1/organization/projects</c> (create, list, retrieve, modify, archive),
/// a service account per key (<c>…/service_accounts</c>, its key's value shown once) and <c>…/api_keys</c> (list,
/// retrieve, delete). Only the admin key reaches these routes (<see cref="ApiKeyAuthentication"/>).
/// </summary>
internal static class ProjectEndpoints
{
    public static void MapProjectEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/organization/projects");
        group.MapPost("", CreateAsync);
        group.MapGet("", ListAsync);
        group.MapGet("/{projectId}", GetAsync);
        group.MapPost("/{projectId}", ModifyAsync);
        group.MapPost("/{projectId}/archive", ArchiveAsync);
        group.MapPost("/{projectId}/service_accounts", CreateServiceAccountAsync);
        group.MapGet("/{projectId}/api_keys", ListKeysAsync);
        group.MapGet("/{projectId}/api_keys/{keyId}", GetKeyAsync);
        group.MapDelete("/{projectId}/api_keys/{keyId}", DeleteKeyAsync);
        group.MapProjectRateLimitEndpoints();
    }

    private static async Task<IResult> CreateAsync(HttpRequest http, IProjectStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        var request = (await JsonRequest.ReadAsync(http, cancellationToken)).Allow("name", "external_key_id", "residency");
        var project = new Project { Id = IdGenerator.New("proj"), Name = RequiredName(request), CreatedAt = time.GetUtcNow().ToUnixTimeSeconds() };
        await store.CreateProjectAsync(project, cancellationToken);
        return TypedResults.Json(ProjectView.Of(project), ProjectsJsonContext.Default.ProjectView);
    }

    private static async Task<IResult> ListAsync(HttpRequest http, IProjectStore store, CancellationToken cancellationToken)
    {
        var includeArchived = http.Query["include_archived"].ToString() switch
        {
            "" or "false" => false,
            "true" => true,
            var other => throw ApiException.Invalid($"Invalid value for 'include_archived': '{other}' is not true or false.", "include_archived", "invalid_value"),
        };
        var page = await store.ListProjectsAsync(ListQueryReader.Read(http) with { Ascending = true }, includeArchived, cancellationToken);
        var views = new Core.Storage.Page<ProjectView>([.. page.Data.Select(ProjectView.Of)], page.HasMore);
        return TypedResults.Json(ListResponse<ProjectView>.From(views, p => p.Id), ProjectsJsonContext.Default.ListResponseProjectView);
    }

    private static async Task<IResult> GetAsync(string projectId, IProjectStore store, CancellationToken cancellationToken) =>
        TypedResults.Json(ProjectView.Of(await FindAsync(store, projectId, cancellationToken)), ProjectsJsonContext.Default.ProjectView);

    private static async Task<IResult> ModifyAsync(string projectId, HttpRequest http, IProjectStore store, CancellationToken cancellationToken)
    {
        var request = (await JsonRequest.ReadAsync(http, cancellationToken)).Allow("name", "external_key_id");
        var project = await FindAsync(store, projectId, cancellationToken);
        project = project with { Name = request.HasNonNull("name") ? RequiredName(request) : project.Name };
        await store.UpdateProjectAsync(project, cancellationToken);
        return TypedResults.Json(ProjectView.Of(project), ProjectsJsonContext.Default.ProjectView);
    }

    private static async Task<IResult> ArchiveAsync(string projectId, IProjectStore store, CallerResolver callers, TimeProvider time, CancellationToken cancellationToken)
    {
        var project = await FindAsync(store, projectId, cancellationToken);
        if (project.Id == Core.Storage.Projects.Default)
        {
            throw ApiException.Invalid("The default project cannot be archived: it holds the data of AgentHost:ApiKey and of requests made without projects.", "project_id");
        }

        if (project.ArchivedAt is null)
        {
            project = project with { ArchivedAt = time.GetUtcNow().ToUnixTimeSeconds() };
            await store.UpdateProjectAsync(project, cancellationToken);
            callers.Forget(project.Id);
        }

        return TypedResults.Json(ProjectView.Of(project), ProjectsJsonContext.Default.ProjectView);
    }

    private static async Task<IResult> CreateServiceAccountAsync(string projectId, HttpRequest http, IProjectStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        var request = (await JsonRequest.ReadAsync(http, cancellationToken)).Allow("name", "create_service_account_only");
        var name = RequiredName(request);
        if (request.Get("create_service_account_only") is { ValueKind: System.Text.Json.JsonValueKind.True })
        {
            throw ApiException.Invalid("AgentHost's service accounts exist to hold a key: create_service_account_only is not supported.", "create_service_account_only", "unsupported_value");
        }

        var project = await FindAsync(store, projectId, cancellationToken);
        if (project.ArchivedAt is not null)
        {
            throw ApiException.Invalid($"Project '{project.Id}' is archived; its keys are refused, so no key can be created in it.", "project_id");
        }

        var value = ProjectKeyValues.NewValue();
        var key = new ProjectKey
        {
            Id = IdGenerator.New("key"),
            Project = project.Id,
            Name = name,
            ServiceAccountId = IdGenerator.New("svc_acct"),
            RedactedValue = ProjectKeyValues.Redact(value),
            CreatedAt = time.GetUtcNow().ToUnixTimeSeconds(),
            Hash = ProjectKeyValues.HashOf(value),
        };
        await store.CreateKeyAsync(key, cancellationToken);
        var created = new ServiceAccountCreated("organization.project.service_account", key.ServiceAccountId, name, "member", key.CreatedAt,
            new ServiceAccountKey("organization.project.service_account.api_key", value, name, key.CreatedAt, key.Id));
        return TypedResults.Json(created, ProjectsJsonContext.Default.ServiceAccountCreated);
    }

    private static async Task<IResult> ListKeysAsync(string projectId, HttpRequest http, IProjectStore store, CancellationToken cancellationToken)
    {
        await FindAsync(store, projectId, cancellationToken);
        var page = await store.ListKeysAsync(projectId, ListQueryReader.Read(http) with { Ascending = true }, cancellationToken);
        var views = new Core.Storage.Page<ProjectKeyView>([.. page.Data.Select(ProjectKeyView.Of)], page.HasMore);
        return TypedResults.Json(ListResponse<ProjectKeyView>.From(views, k => k.Id), ProjectsJsonContext.Default.ListResponseProjectKeyView);
    }

    private static async Task<IResult> GetKeyAsync(string projectId, string keyId, IProjectStore store, CancellationToken cancellationToken)
    {
        await FindAsync(store, projectId, cancellationToken);
        var key = await store.GetKeyAsync(projectId, keyId, cancellationToken) ?? throw ApiException.NotFound("API key", keyId);
        return TypedResults.Json(ProjectKeyView.Of(key), ProjectsJsonContext.Default.ProjectKeyView);
    }

    private static async Task<IResult> DeleteKeyAsync(string projectId, string keyId, IProjectStore store, CallerResolver callers, CancellationToken cancellationToken)
    {
        await FindAsync(store, projectId, cancellationToken);
        if (!await store.DeleteKeyAsync(projectId, keyId, cancellationToken))
        {
            throw ApiException.NotFound("API key", keyId);
        }

        callers.Forget(projectId);
        return TypedResults.Json(new ProjectKeyDeleted("organization.project.api_key.deleted", keyId, true), ProjectsJsonContext.Default.ProjectKeyDeleted);
    }

    private static string RequiredName(JsonRequest request)
    {
        var name = request.RequiredString("name", 256).Trim();
        return name.Length > 0 ? name : throw ApiException.Invalid("'name' must not be empty.", "name", "invalid_value");
    }

    internal static async Task<Project> FindAsync(IProjectStore store, string id, CancellationToken cancellationToken) =>
        await store.GetProjectAsync(id, cancellationToken) ?? throw ApiException.NotFound("project", id);
}
