using System.Globalization;
using System.Text.Json.Nodes;
using AgentHost.Core.Domain;
using AgentHost.Core.Errors;
using AgentHost.Core.ManagedAgents;
using AgentHost.Core.Models;
using AgentHost.Core.Storage;
using AgentHost.Server.Http;

namespace AgentHost.Server.ManagedAgents;

/// <summary>
/// <c>/v1/agents</c>: an agent is a model, a system prompt and tools. An update that changes anything stores a new
/// version (the old ones stay readable with <c>?version=</c> and <c>/versions</c>); archiving hides it from lists and
/// from new sessions.
/// </summary>
internal static class AgentEndpoints
{
    private static readonly string[] Fields = ["model", "name", "description", "execution_identity", "mcp_servers", "metadata", "multiagent", "skills", "system", "tools"];

    public static void Map(RouteGroupBuilder group)
    {
        group.MapPost("/agents", CreateAsync);
        group.MapGet("/agents", ListAsync);
        group.MapGet("/agents/{agentId}", RetrieveAsync);
        group.MapPost("/agents/{agentId}", UpdateAsync);
        group.MapPost("/agents/{agentId}/archive", ArchiveAsync);
        group.MapGet("/agents/{agentId}/versions", ListVersionsAsync);
    }

    public static ApiException NotFound(string id) => new(ApiErrorKind.NotFound, $"Agent '{id}' not found.", "agent_id", "agent_not_found");

    /// <summary>The agent (a version of it, or its latest), or the API's 404.</summary>
    public static async Task<JsonObject> GetAsync(IManagedAgentStore store, string id, int? version, CancellationToken cancellationToken) =>
        await store.GetAsync(ManagedObjectKinds.Agent, id, version, cancellationToken) is { } stored ? ManagedAgentsApi.Data(stored) : throw NotFound(id);

    private static async Task<IResult> CreateAsync(HttpRequest http, IManagedAgentStore store, IModelRouter router, TimeProvider time, CancellationToken cancellationToken)
    {
        var request = (await JsonRequest.ReadAsync(http, cancellationToken)).Allow(Fields);
        AgentReader.RefuseUnsupported(request);
        var servers = AgentReader.McpServers(request);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var agent = new JsonObject
        {
            ["id"] = IdGenerator.New("agent"),
            ["type"] = "agent",
            ["name"] = Name(request),
            ["description"] = request.String("description", 2048),
            ["model"] = AgentReader.Model(request, router),
            ["system"] = request.String("system"),
            ["tools"] = AgentReader.Tools(request, servers),
            ["mcp_servers"] = servers,
            ["skills"] = new JsonArray(),
            ["multiagent"] = null,
            ["execution_identity"] = new JsonObject { ["type"] = "service_account" },
            ["metadata"] = Metadata(request, new JsonObject()),
            ["version"] = 1,
            ["created_at"] = ManagedAgentsApi.Timestamp(now),
            ["updated_at"] = ManagedAgentsApi.Timestamp(now),
            ["archived_at"] = null,
        };
        await store.InsertAsync(Stored(agent, now), cancellationToken);
        return ManagedAgentsApi.Json(agent);
    }

    private static async Task<IResult> RetrieveAsync(string agentId, HttpRequest http, IManagedAgentStore store, CancellationToken cancellationToken)
    {
        var text = http.Query["version"].ToString();
        int? version = text.Length == 0 ? null
            : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= 1 ? number
            : throw ApiException.Invalid($"Invalid 'version': expected an integer >= 1, got '{text}'.", "version");
        return ManagedAgentsApi.Json(await GetAsync(store, agentId, version, cancellationToken));
    }

    private static async Task<IResult> UpdateAsync(string agentId, HttpRequest http, IManagedAgentStore store, IModelRouter router, TimeProvider time, CancellationToken cancellationToken)
    {
        var request = (await JsonRequest.ReadAsync(http, cancellationToken)).Allow([.. Fields, "version"]);
        AgentReader.RefuseUnsupported(request);
        var stored = await store.GetAsync(ManagedObjectKinds.Agent, agentId, null, cancellationToken) ?? throw NotFound(agentId);
        var current = ManagedAgentsApi.Data(stored);
        if (request.Integer("version", 1) is { } expected && expected != stored.Version)
        {
            throw new ApiException(ApiErrorKind.Conflict,
                $"Agent '{agentId}' is at version {stored.Version}, not {expected}: it was updated meanwhile. Retrieve it and apply your change again.", "version", "version_mismatch");
        }

        if (stored.Archived)
        {
            throw ApiException.Invalid($"Agent '{agentId}' is archived and can no longer be updated.", null, "agent_archived");
        }

        var next = current.DeepClone().AsObject();
        if (request.Has("name"))
        {
            next["name"] = Name(request);
        }

        if (request.Has("description"))
        {
            next["description"] = request.String("description", 2048) is { Length: > 0 } description ? description : null;
        }

        if (request.Has("system"))
        {
            next["system"] = request.String("system") is { Length: > 0 } system ? system : null;
        }

        if (request.HasNonNull("model"))
        {
            next["model"] = AgentReader.Model(request, router);
        }

        var servers = request.Has("mcp_servers") ? AgentReader.McpServers(request) : current["mcp_servers"]!.DeepClone().AsArray();
        next["mcp_servers"] = servers;
        next["tools"] = request.Has("tools")
            ? AgentReader.Tools(request, servers)
            : AgentReader.Tools(new JsonRequest(System.Text.Json.JsonDocument.Parse(new JsonObject { ["tools"] = current["tools"]!.DeepClone() }.ToJsonString()).RootElement), servers);
        if (request.Has("metadata"))
        {
            next["metadata"] = Metadata(request, current["metadata"]!.DeepClone().AsObject());
        }

        if (JsonNode.DeepEquals(next, current))
        {
            return ManagedAgentsApi.Json(current);
        }

        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        next["version"] = stored.Version + 1;
        next["updated_at"] = ManagedAgentsApi.Timestamp(now);
        if (!await store.InsertAsync(Stored(next, stored.CreatedAtMs) with { Version = stored.Version + 1 }, cancellationToken))
        {
            throw new ApiException(ApiErrorKind.Conflict, $"Agent '{agentId}' was updated meanwhile. Retrieve it and apply your change again.", "version", "version_mismatch");
        }

        return ManagedAgentsApi.Json(next);
    }

    private static async Task<IResult> ListAsync(HttpRequest http, IManagedAgentStore store, CancellationToken cancellationToken)
    {
        var page = await store.ListAsync(ManagedObjectKinds.Agent, new ManagedListQuery
        {
            Limit = ManagedAgentsApi.Limit(http),
            After = http.Query["page"].ToString() is { Length: > 0 } after ? after : null,
            IncludeArchived = ManagedAgentsApi.Flag(http, "include_archived") ?? false,
            CreatedFromMs = ManagedAgentsApi.TimeQuery(http, "created_at[gte]"),
            CreatedToMs = ManagedAgentsApi.TimeQuery(http, "created_at[lte]"),
        }, cancellationToken);
        return ManagedAgentsApi.Json(ManagedAgentsApi.Page(page, ManagedAgentsApi.Data));
    }

    private static async Task<IResult> ListVersionsAsync(string agentId, HttpRequest http, IManagedAgentStore store, CancellationToken cancellationToken)
    {
        _ = await store.GetAsync(ManagedObjectKinds.Agent, agentId, null, cancellationToken) ?? throw NotFound(agentId);
        var page = await store.ListVersionsAsync(ManagedObjectKinds.Agent, agentId, new ListQuery
        {
            Limit = ManagedAgentsApi.Limit(http),
            After = http.Query["page"].ToString() is { Length: > 0 } after ? after : null,
        }, cancellationToken);
        var next = page.HasMore && page.Data.Count > 0 ? page.Data[^1].Version.ToString(CultureInfo.InvariantCulture) : null;
        return ManagedAgentsApi.Json(ManagedAgentsApi.Page(page.Data.Select(ManagedAgentsApi.Data), next));
    }

    private static async Task<IResult> ArchiveAsync(string agentId, IManagedAgentStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        var stored = await store.GetAsync(ManagedObjectKinds.Agent, agentId, null, cancellationToken) ?? throw NotFound(agentId);
        var agent = ManagedAgentsApi.Data(stored);
        if (stored.Archived)
        {
            return ManagedAgentsApi.Json(agent);
        }

        agent["archived_at"] = ManagedAgentsApi.Timestamp(time.GetUtcNow().ToUnixTimeMilliseconds());
        await store.UpdateAsync(stored with { Archived = true, Data = agent.ToJsonString() }, null, cancellationToken);
        return ManagedAgentsApi.Json(agent);
    }

    private static string Name(JsonRequest request)
    {
        var name = request.RequiredString("name", 256);
        return name.Length > 0 ? name : throw request.InvalidValue("name", "must be non-empty.");
    }

    /// <summary><c>metadata</c> applied onto <paramref name="current"/>: a string sets a key, null deletes it; at most 16 keys.</summary>
    public static JsonObject Metadata(JsonRequest request, JsonObject current)
    {
        if (request.Object("metadata") is not { } patch)
        {
            return request.Has("metadata") ? new JsonObject() : current;
        }

        foreach (var property in patch.Root.EnumerateObject())
        {
            if (property.Name.Length is 0 or > 64)
            {
                throw request.InvalidValue("metadata", $"keys must be 1 to 64 characters; '{property.Name}' is not.");
            }

            if (property.Value.ValueKind == System.Text.Json.JsonValueKind.Null)
            {
                current.Remove(property.Name);
                continue;
            }

            current[property.Name] = patch.String(property.Name, 512) ?? throw patch.WrongType(property.Name, "a string", property.Value);
        }

        return current.Count <= 16 ? current : throw ApiException.Invalid("'metadata': at most 16 keys.", "metadata", "invalid_metadata");
    }

    private static ManagedObject Stored(JsonObject agent, long createdAtMs) => new()
    {
        Kind = ManagedObjectKinds.Agent,
        Id = (string)agent["id"]!,
        Version = (int)agent["version"]!,
        CreatedAtMs = createdAtMs,
        Data = agent.ToJsonString(),
    };
}
