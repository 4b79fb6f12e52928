using System.Text.Json.Nodes;
using AgentHost.Core.Domain;
using AgentHost.Core.Errors;
using AgentHost.Core.ManagedAgents;
using AgentHost.Server.Http;

namespace AgentHost.Server.ManagedAgents;

/// <summary><c>/v1/environments</c>: where sessions run. A <c>cloud</c> environment is AgentHost's sandbox (see <see cref="EnvironmentConfigReader"/>).</summary>
internal static class EnvironmentEndpoints
{
    public static void Map(RouteGroupBuilder group)
    {
        group.MapPost("/environments", CreateAsync);
        group.MapGet("/environments", ListAsync);
        group.MapGet("/environments/{environmentId}", RetrieveAsync);
        group.MapPost("/environments/{environmentId}", UpdateAsync);
        group.MapDelete("/environments/{environmentId}", DeleteAsync);
        group.MapPost("/environments/{environmentId}/archive", ArchiveAsync);
    }

    public static ApiException NotFound(string id) =>
        new(ApiErrorKind.NotFound, $"Environment '{id}' not found.", "environment_id", "environment_not_found");

    public static async Task<ManagedObject> GetAsync(IManagedAgentStore store, string id, CancellationToken cancellationToken) =>
        await store.GetAsync(ManagedObjectKinds.Environment, id, null, cancellationToken) ?? throw NotFound(id);

    private static async Task<IResult> CreateAsync(HttpRequest http, IManagedAgentStore store, HostPackages packages, TimeProvider time, CancellationToken cancellationToken)
    {
        var request = (await JsonRequest.ReadAsync(http, cancellationToken)).Allow("name", "config", "description", "metadata", "scope");
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var environment = new JsonObject
        {
            ["id"] = IdGenerator.New("env"),
            ["type"] = "environment",
            ["name"] = Name(request),
            ["description"] = request.String("description", 2048),
            ["config"] = EnvironmentConfigReader.Read(request, packages),
            ["metadata"] = AgentEndpoints.Metadata(request, new JsonObject()),
            ["scope"] = Scope(request) ?? "organization",
            ["created_at"] = ManagedAgentsApi.Timestamp(now),
            ["updated_at"] = ManagedAgentsApi.Timestamp(now),
            ["archived_at"] = null,
        };
        await store.InsertAsync(new ManagedObject
        {
            Kind = ManagedObjectKinds.Environment, Id = (string)environment["id"]!, CreatedAtMs = now, Data = environment.ToJsonString(),
        }, cancellationToken);
        return ManagedAgentsApi.Json(environment);
    }

    private static async Task<IResult> RetrieveAsync(string environmentId, IManagedAgentStore store, CancellationToken cancellationToken) =>
        ManagedAgentsApi.Json(ManagedAgentsApi.Data(await GetAsync(store, environmentId, cancellationToken)));

    private static async Task<IResult> UpdateAsync(string environmentId, HttpRequest http, IManagedAgentStore store, HostPackages packages, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var request = (await JsonRequest.ReadAsync(http, cancellationToken)).Allow("name", "config", "description", "metadata", "scope");
        var stored = await GetAsync(store, environmentId, cancellationToken);
        var environment = ManagedAgentsApi.Data(stored);
        if (stored.Archived)
        {
            throw ApiException.Invalid($"Environment '{environmentId}' is archived and can no longer be updated.", null, "environment_archived");
        }

        if (request.HasNonNull("name"))
        {
            environment["name"] = Name(request);
        }

        if (request.Has("description"))
        {
            environment["description"] = request.String("description", 2048) is { Length: > 0 } description ? description : null;
        }

        if (request.HasNonNull("config"))
        {
            environment["config"] = EnvironmentConfigReader.Read(request, packages);
        }

        if (request.Has("metadata"))
        {
            environment["metadata"] = AgentEndpoints.Metadata(request, environment["metadata"]!.DeepClone().AsObject());
        }

        if (Scope(request) is { } scope)
        {
            environment["scope"] = scope;
        }

        environment["updated_at"] = ManagedAgentsApi.Timestamp(time.GetUtcNow().ToUnixTimeMilliseconds());
        await store.UpdateAsync(stored with { Data = environment.ToJsonString() }, null, cancellationToken);
        return ManagedAgentsApi.Json(environment);
    }

    private static async Task<IResult> ListAsync(HttpRequest http, IManagedAgentStore store, CancellationToken cancellationToken)
    {
        var page = await store.ListAsync(ManagedObjectKinds.Environment, new ManagedListQuery
        {
            Limit = ManagedAgentsApi.Limit(http),
            After = http.Query["page"].ToString() is { Length: > 0 } after ? after : null,
            IncludeArchived = ManagedAgentsApi.Flag(http, "include_archived") ?? false,
        }, cancellationToken);
        return ManagedAgentsApi.Json(ManagedAgentsApi.Page(page, ManagedAgentsApi.Data));
    }

    private static async Task<IResult> DeleteAsync(string environmentId, IManagedAgentStore store, CancellationToken cancellationToken)
    {
        _ = await GetAsync(store, environmentId, cancellationToken);
        var active = await store.ListAsync(ManagedObjectKinds.Session, new ManagedListQuery { Limit = ManagedAgentsApi.MaxPageSize, Statuses = ["running", "rescheduling"] }, cancellationToken);
        if (active.Data.Any(s => (string?)ManagedAgentsApi.Data(s)["environment_id"] == environmentId))
        {
            throw ApiException.Invalid($"Environment '{environmentId}' has running sessions: interrupt them (user.interrupt) before deleting it.", "environment_id");
        }

        await store.DeleteAsync(ManagedObjectKinds.Environment, environmentId, cancellationToken);
        return ManagedAgentsApi.Json(new JsonObject { ["id"] = environmentId, ["type"] = "environment_deleted" });
    }

    private static async Task<IResult> ArchiveAsync(string environmentId, IManagedAgentStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        var stored = await GetAsync(store, environmentId, cancellationToken);
        var environment = ManagedAgentsApi.Data(stored);
        if (!stored.Archived)
        {
            environment["archived_at"] = ManagedAgentsApi.Timestamp(time.GetUtcNow().ToUnixTimeMilliseconds());
            await store.UpdateAsync(stored with { Archived = true, Data = environment.ToJsonString() }, null, cancellationToken);
        }

        return ManagedAgentsApi.Json(environment);
    }

    private static string Name(JsonRequest request)
    {
        var name = request.RequiredString("name", 256);
        return name.Length > 0 ? name : throw request.InvalidValue("name", "must be non-empty.");
    }

    private static string? Scope(JsonRequest request) => request.String("scope") switch
    {
        null => null,
        "organization" => "organization",
        "account" => "account",
        var other => throw request.InvalidValue("scope", $"'{other}' is not one of organization, account."),
    };
}
