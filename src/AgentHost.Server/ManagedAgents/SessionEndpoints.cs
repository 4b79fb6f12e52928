using System.Text.Json.Nodes;
using AgentHost.Core.Containers;
using AgentHost.Core.Errors;
using AgentHost.Core.ManagedAgents;
using AgentHost.Server.Http;

namespace AgentHost.Server.ManagedAgents;

/// <summary><c>/v1/sessions</c>: create, retrieve, update, list, delete and archive sessions.</summary>
internal static class SessionEndpoints
{
    public static void Map(RouteGroupBuilder group)
    {
        group.MapPost("/sessions", CreateAsync);
        group.MapGet("/sessions", ListAsync);
        group.MapGet("/sessions/{sessionId}", RetrieveAsync);
        group.MapPost("/sessions/{sessionId}", UpdateAsync);
        group.MapDelete("/sessions/{sessionId}", DeleteAsync);
        group.MapPost("/sessions/{sessionId}/archive", ArchiveAsync);
        SessionEventEndpoints.Map(group);
        SessionResourceEndpoints.Map(group);
    }

    private static async Task<IResult> CreateAsync(HttpRequest http, SessionCreation creation, SessionRecords sessions, CancellationToken cancellationToken)
    {
        var session = await creation.CreateAsync(await JsonRequest.ReadAsync(http, cancellationToken), cancellationToken);
        return ManagedAgentsApi.Json(await sessions.RenderAsync(await sessions.GetAsync(session.Id, cancellationToken), cancellationToken));
    }

    private static async Task<IResult> RetrieveAsync(string sessionId, SessionRecords sessions, CancellationToken cancellationToken) =>
        ManagedAgentsApi.Json(await sessions.RenderAsync(await sessions.GetAsync(sessionId, cancellationToken), cancellationToken));

    private static async Task<IResult> UpdateAsync(string sessionId, HttpRequest http, SessionRecords sessions, CancellationToken cancellationToken)
    {
        var request = (await JsonRequest.ReadAsync(http, cancellationToken)).Allow("agent", "budget", "metadata", "title", "vault_ids");
        if (request.Array("vault_ids") is { } vaults && vaults.Any())
        {
            throw Unsupported.Vaults("vault_ids");
        }

        for (var attempt = 0; ; attempt++)
        {
            var session = await sessions.GetAsync(sessionId, cancellationToken);
            var wire = session.Wire;
            if (request.Has("title"))
            {
                wire["title"] = request.String("title", 1024);
            }

            if (request.Has("metadata"))
            {
                wire["metadata"] = AgentEndpoints.Metadata(request, wire["metadata"]!.DeepClone().AsObject());
            }

            if (request.Has("budget"))
            {
                if (wire["budget"] is null && request.HasNonNull("budget"))
                {
                    throw ApiException.Invalid("'budget': a budget cannot be added to a session created without one.", "budget", "invalid_budget");
                }

                wire["budget"] = request.HasNonNull("budget") ? SessionUpdates.Budget(request) : null;
            }

            if (request.Object("agent") is { } agent)
            {
                agent.Allow("tools", "mcp_servers");
                if (session.RunId is not null)
                {
                    throw ApiException.Invalid($"'agent': session '{sessionId}' has a turn in progress; its tools can change only while it is idle.", "agent", "session_running");
                }

                SessionUpdates.Tools(session.Agent, agent);
            }

            if (await sessions.SaveAsync(session, session.Status, session.Status, cancellationToken))
            {
                return ManagedAgentsApi.Json(await sessions.RenderAsync(session, cancellationToken));
            }

            if (attempt == 4)
            {
                throw new ApiException(ApiErrorKind.Conflict, $"Session '{sessionId}' kept changing; try again.", null);
            }
        }
    }

    private static async Task<IResult> ListAsync(HttpRequest http, SessionRecords sessions, CancellationToken cancellationToken)
    {
        var statuses = http.Query["statuses[]"].Concat(http.Query["statuses"]).OfType<string>().SelectMany(s => s.Split(',')).ToList();
        var order = http.Query["order"].ToString();
        if (order.Length > 0 && order is not ("asc" or "desc"))
        {
            throw ApiException.Invalid($"Invalid 'order': '{order}' is not one of asc, desc.", "order");
        }

        var page = await sessions.Store.ListAsync(ManagedObjectKinds.Session, new ManagedListQuery
        {
            Limit = ManagedAgentsApi.Limit(http),
            Ascending = order == "asc",
            After = http.Query["page"].ToString() is { Length: > 0 } after ? after : null,
            IncludeArchived = ManagedAgentsApi.Flag(http, "include_archived") ?? false,
            ParentId = http.Query["agent_id"].ToString() is { Length: > 0 } agentId ? agentId : null,
            Statuses = statuses,
            CreatedFromMs = ManagedAgentsApi.TimeQuery(http, "created_at[gte]") ?? ManagedAgentsApi.TimeQuery(http, "created_at[gt]") + 1,
            CreatedToMs = ManagedAgentsApi.TimeQuery(http, "created_at[lte]") ?? ManagedAgentsApi.TimeQuery(http, "created_at[lt]") - 1,
        }, cancellationToken);
        var rendered = new List<JsonNode>();
        foreach (var stored in page.Data)
        {
            rendered.Add(await sessions.RenderAsync(SessionState.Of(stored), cancellationToken));
        }

        var version = http.Query["agent_version"].ToString();
        if (version.Length > 0)
        {
            rendered = [.. rendered.Where(s => s["agent"]?["version"]?.ToString() == version)];
        }

        var next = page.HasMore && page.Data.Count > 0 ? page.Data[^1].Id : null;
        return ManagedAgentsApi.Json(ManagedAgentsApi.Page(rendered, next, bidirectional: true));
    }

    private static async Task<IResult> DeleteAsync(string sessionId, SessionRecords sessions, SessionTurns turns, SessionEventLog log, ContainerService containers,
        CancellationToken cancellationToken)
    {
        var session = await sessions.GetAsync(sessionId, cancellationToken);
        if (session.RunId is not null)
        {
            await turns.InterruptAsync(session, new JsonObject { ["type"] = "user.interrupt" }, cancellationToken);
        }

        await sessions.Store.DeleteAsync(ManagedObjectKinds.Session, sessionId, cancellationToken);
        try
        {
            await containers.DeleteAsync(session.ContainerId, cancellationToken);
        }
        catch (ApiException)
        {
            // The workspace expired or was deleted already.
        }

        return ManagedAgentsApi.Json(new JsonObject { ["id"] = sessionId, ["type"] = "session_deleted" });
    }

    /// <summary>Archives the session: a turn in progress is interrupted, the session is terminated and takes no more events.</summary>
    private static async Task<IResult> ArchiveAsync(string sessionId, SessionRecords sessions, SessionTurns turns, SessionEventLog log, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var session = await sessions.GetAsync(sessionId, cancellationToken);
        if (session.Stored.Archived)
        {
            return ManagedAgentsApi.Json(await sessions.RenderAsync(session, cancellationToken));
        }

        if (session.RunId is not null)
        {
            await turns.InterruptAsync(session, new JsonObject { ["type"] = "user.interrupt" }, cancellationToken);
        }

        for (var attempt = 0; attempt < 5; attempt++)
        {
            session = await sessions.GetAsync(sessionId, cancellationToken);
            session.Wire["archived_at"] = ManagedAgentsApi.Timestamp(time.GetUtcNow().ToUnixTimeMilliseconds());
            if (await sessions.SaveAsync(session, SessionRecords.Terminated, session.Status, cancellationToken))
            {
                await log.AppendAsync(sessionId, null, cancellationToken, log.New("session.status_terminated"));
                return ManagedAgentsApi.Json(await sessions.RenderAsync(session, cancellationToken));
            }
        }

        throw new ApiException(ApiErrorKind.Conflict, $"Session '{sessionId}' kept changing; try again.", null);
    }
}
