using System.Text.Json.Nodes;
using AgentHost.Core.Containers;
using AgentHost.Core.Domain;
using AgentHost.Core.Errors;
using AgentHost.Core.Files;
using AgentHost.Core.ManagedAgents;
using AgentHost.Core.Models;
using AgentHost.Core.Tools;
using AgentHost.Server.Http;

namespace AgentHost.Server.ManagedAgents;

/// <summary>
/// <c>POST /v1/sessions</c>: resolves the agent (by id, a version, or with overrides) into the session's own snapshot,
/// checks its environment, and gives the session a workspace: a container (<c>cntr_…</c>) holding its file resources,
/// which the agent toolset works in. Everything is checked before anything is stored.
/// </summary>
internal sealed class SessionCreation(IManagedAgentStore store, IModelRouter router, ToolSources sources, ContainerService containers, ContainerOptions containerOptions,
    IFileStore files, SessionTurns turns, TimeProvider time)
{
    public async Task<SessionState> CreateAsync(JsonRequest request, CancellationToken cancellationToken)
    {
        request.Allow("agent", "environment_id", "budget", "initial_events", "metadata", "resources", "title", "vault_ids");
        if (request.Array("vault_ids") is { } vaults && vaults.Any())
        {
            throw Unsupported.Vaults("vault_ids");
        }

        var agent = await AgentAsync(request, cancellationToken);
        var environmentId = request.RequiredString("environment_id");
        var environment = await EnvironmentEndpoints.GetAsync(store, environmentId, cancellationToken);
        if (environment.Archived)
        {
            throw ApiException.Invalid($"Environment '{environmentId}' is archived: sessions can no longer be created in it.", "environment_id", "environment_archived");
        }

        SessionTools.Check(SessionTools.For(agent, "cntr_check"), sources);
        var budget = Budget(request);
        var resources = FileResources(request);
        foreach (var (fileId, _) in resources)
        {
            _ = await files.GetAsync(fileId, cancellationToken) ?? throw new ApiException(ApiErrorKind.NotFound, $"File '{fileId}' not found.", "resources", "file_not_found");
        }

        var initial = SessionEventReader.Read(request, "initial_events", initial: true);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var id = IdGenerator.New("sesn");
        var container = await containers.CreateAsync(new NewContainer { Name = $"session {id}", ExpiryMinutes = containerOptions.MaxExpiryMinutes }, cancellationToken);
        var added = new JsonArray();
        try
        {
            foreach (var (fileId, mountPath) in resources)
            {
                added.Add(await AddFileAsync(container.Id, fileId, mountPath, now, cancellationToken));
            }
        }
        catch
        {
            await containers.DeleteAsync(container.Id, CancellationToken.None);
            throw;
        }

        var wire = new JsonObject
        {
            ["id"] = id,
            ["type"] = "session",
            ["agent"] = agent,
            ["environment_id"] = environmentId,
            ["status"] = SessionRecords.Idle,
            ["title"] = request.String("title", 1024),
            ["metadata"] = AgentEndpoints.Metadata(request, new JsonObject()),
            ["budget"] = budget,
            ["resources"] = added,
            ["outcome_evaluations"] = new JsonArray(),
            ["vault_ids"] = new JsonArray(),
            ["created_at"] = ManagedAgentsApi.Timestamp(now),
            ["updated_at"] = ManagedAgentsApi.Timestamp(now),
            ["archived_at"] = null,
        };
        var stored = SessionState.NewObject(wire, container.Id, now);
        await store.InsertAsync(stored, cancellationToken);
        var session = SessionState.Of(stored);
        if (initial.Count > 0)
        {
            await turns.StartTurnAsync(session, initial, cancellationToken);
        }

        return session;
    }

    /// <summary>Copies a file of <c>/v1/files</c> into the workspace, at <c>/mnt/data/&lt;name&gt;</c> (its own name unless a mount path names another).</summary>
    public async Task<JsonObject> AddFileAsync(string containerId, string fileId, string? mountPath, long nowMs, CancellationToken cancellationToken)
    {
        ContainerFile file;
        if (mountPath is null)
        {
            file = await containers.AddStoredFileAsync(containerId, fileId, cancellationToken);
        }
        else
        {
            await using var content = await files.OpenReadAsync(fileId, cancellationToken)
                ?? throw new ApiException(ApiErrorKind.NotFound, $"File '{fileId}' not found.", "file_id", "file_not_found");
            file = await containers.AddFileAsync(containerId, mountPath[ContainerPaths.DataRoot.Length..], content, cancellationToken);
        }

        return new JsonObject
        {
            ["id"] = IdGenerator.New("sesrsc"),
            ["type"] = "file",
            ["file_id"] = fileId,
            ["mount_path"] = file.Path,
            ["container_file_id"] = file.Id,
            ["created_at"] = ManagedAgentsApi.Timestamp(nowMs),
            ["updated_at"] = ManagedAgentsApi.Timestamp(nowMs),
        };
    }

    /// <summary>A file resource's mount path: under <c>/mnt/data/</c>, one level deep (the workspace keeps files flat).</summary>
    public static string? MountPath(JsonRequest resource)
    {
        if (resource.String("mount_path", 1024) is not { } path)
        {
            return null;
        }

        var name = path.StartsWith(ContainerPaths.DataRoot, StringComparison.Ordinal) ? path[ContainerPaths.DataRoot.Length..] : null;
        return name is { Length: > 0 } && !name.Contains('/', StringComparison.Ordinal) && name is not ("." or "..")
            ? path
            : throw resource.InvalidValue("mount_path", $"'{path}' is not a file directly under {ContainerPaths.DataRoot}, the session workspace AgentHost gives files (omit mount_path for {ContainerPaths.DataRoot}<filename>).");
    }

    private static List<(string FileId, string? MountPath)> FileResources(JsonRequest request)
    {
        var resources = new List<(string, string?)>();
        var index = 0;
        foreach (var element in request.Array("resources", 100) ?? [])
        {
            var resource = request.Item(element, "resources", index++);
            switch (resource.RequiredString("type"))
            {
                case "file":
                    resource.Allow("type", "file_id", "mount_path");
                    resources.Add((resource.RequiredString("file_id"), MountPath(resource)));
                    break;
                case "memory_store":
                    throw Unsupported.MemoryStores(resource.Name("type"));
                case "github_repository":
                    throw Unsupported.Feature(resource.Name("type"), "github_repository resources",
                        "need the sandbox to reach GitHub, and AgentHost sandboxes have no network: upload the files (/v1/files) and add them as file resources.");
                case var other:
                    throw resource.InvalidValue("type", $"'{other}' is not one of file, github_repository, memory_store.");
            }
        }

        return resources;
    }

    private static JsonObject? Budget(JsonRequest request) => request.HasNonNull("budget") ? SessionUpdates.Budget(request) : null;

    /// <summary>The session's agent snapshot: the agent (a version of it) with any overrides applied.</summary>
    private async Task<JsonObject> AgentAsync(JsonRequest request, CancellationToken cancellationToken)
    {
        var value = request.Get("agent") ?? throw ApiException.Invalid("Missing required parameter: 'agent'.", "agent", "missing_required_parameter");
        string id;
        int? version = null;
        JsonRequest? overrides = null;
        if (value.ValueKind == System.Text.Json.JsonValueKind.String)
        {
            id = value.GetString()!;
        }
        else
        {
            var reference = request.Object("agent")!;
            var type = reference.RequiredString("type");
            if (type == "agent")
            {
                reference.Allow("type", "id", "version");
            }
            else if (type == "agent_with_overrides")
            {
                reference.Allow("type", "id", "version", "model", "system", "tools", "mcp_servers", "skills");
                overrides = reference;
            }
            else
            {
                throw reference.InvalidValue("type", $"'{type}' is not one of agent, agent_with_overrides.");
            }

            id = reference.RequiredString("id");
            version = reference.Integer("version", 1);
        }

        var stored = await store.GetAsync(ManagedObjectKinds.Agent, id, version, cancellationToken) ?? throw AgentEndpoints.NotFound(id);
        if (stored.Archived)
        {
            throw ApiException.Invalid($"Agent '{id}' is archived: sessions can no longer be created with it.", "agent", "agent_archived");
        }

        var agent = ManagedAgentsApi.Data(stored);
        if (overrides is not null)
        {
            AgentReader.RefuseUnsupported(overrides);
            if (overrides.HasNonNull("model"))
            {
                agent["model"] = AgentReader.Model(overrides, router);
            }

            if (overrides.Has("system"))
            {
                agent["system"] = overrides.String("system");
            }

            var servers = overrides.Has("mcp_servers") ? AgentReader.McpServers(overrides) : agent["mcp_servers"]!.DeepClone().AsArray();
            if (overrides.Has("tools") || overrides.Has("mcp_servers"))
            {
                agent["mcp_servers"] = servers;
                agent["tools"] = overrides.Has("tools") ? AgentReader.Tools(overrides, servers)
                    : AgentReader.Tools(new JsonRequest(System.Text.Json.JsonDocument.Parse(new JsonObject { ["tools"] = agent["tools"]!.DeepClone() }.ToJsonString()).RootElement), servers);
            }
        }

        foreach (var field in new[] { "metadata", "created_at", "updated_at", "archived_at" })
        {
            agent.Remove(field);
        }

        return agent;
    }
}
