using System.Text.Json.Nodes;
using AgentHost.Core.Containers;
using AgentHost.Core.Errors;
using AgentHost.Server.Http;

namespace AgentHost.Server.ManagedAgents;

/// <summary><c>/v1/sessions/{id}/resources</c>: the files in a session's workspace, added from <c>/v1/files</c> and removed again.</summary>
internal static class SessionResourceEndpoints
{
    public static void Map(RouteGroupBuilder group)
    {
        group.MapGet("/sessions/{sessionId}/resources", ListAsync);
        group.MapPost("/sessions/{sessionId}/resources", AddAsync);
        group.MapGet("/sessions/{sessionId}/resources/{resourceId}", RetrieveAsync);
        group.MapPost("/sessions/{sessionId}/resources/{resourceId}", UpdateAsync);
        group.MapDelete("/sessions/{sessionId}/resources/{resourceId}", DeleteAsync);
    }

    /// <summary>A resource as the API shows it (without the workspace file it became).</summary>
    public static JsonObject Render(JsonNode resource)
    {
        var shown = resource.DeepClone().AsObject();
        shown.Remove("container_file_id");
        return shown;
    }

    private static async Task<IResult> ListAsync(string sessionId, HttpRequest http, SessionRecords sessions, CancellationToken cancellationToken)
    {
        var session = await sessions.GetAsync(sessionId, cancellationToken);
        var limit = ManagedAgentsApi.Limit(http);
        var all = session.Wire["resources"]!.AsArray().Select(r => r!).ToList();
        var after = http.Query["page"].ToString();
        var start = after.Length == 0 ? 0 : all.FindIndex(r => (string?)r["id"] == after) + 1;
        var page = all.Skip(start).Take(limit).ToList();
        var next = start + limit < all.Count && page.Count > 0 ? (string?)page[^1]["id"] : null;
        return ManagedAgentsApi.Json(ManagedAgentsApi.Page(page.Select(r => (JsonNode)Render(r)), next));
    }

    private static async Task<IResult> RetrieveAsync(string sessionId, string resourceId, SessionRecords sessions, CancellationToken cancellationToken)
    {
        var session = await sessions.GetAsync(sessionId, cancellationToken);
        return ManagedAgentsApi.Json(Render(Find(session, resourceId)));
    }

    private static async Task<IResult> AddAsync(string sessionId, HttpRequest http, SessionRecords sessions, SessionCreation creation, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var request = await JsonRequest.ReadAsync(http, cancellationToken);
        if (request.RequiredString("type") != "file")
        {
            throw request.InvalidValue("type", "only 'file' resources can be added to a session.");
        }

        request.Allow("type", "file_id", "mount_path");
        var fileId = request.RequiredString("file_id");
        var mountPath = SessionCreation.MountPath(request);
        var session = await sessions.GetAsync(sessionId, cancellationToken);
        if (session.Status == SessionRecords.Terminated)
        {
            throw ApiException.Invalid($"Session '{sessionId}' is terminated (archived).", null, "session_terminated");
        }

        var resource = await creation.AddFileAsync(session.ContainerId, fileId, mountPath, time.GetUtcNow().ToUnixTimeMilliseconds(), cancellationToken);
        for (var attempt = 0; ; attempt++)
        {
            session.Wire["resources"]!.AsArray().Add(resource.DeepClone());
            if (await sessions.SaveAsync(session, session.Status, session.Status, cancellationToken))
            {
                return ManagedAgentsApi.Json(Render(resource));
            }

            if (attempt == 4)
            {
                throw new ApiException(ApiErrorKind.Conflict, $"Session '{sessionId}' kept changing; try again.", null);
            }

            session = await sessions.GetAsync(sessionId, cancellationToken);
        }
    }

    private static IResult UpdateAsync(string sessionId, string resourceId) =>
        throw ApiException.Invalid("'authorization_token': only github_repository resources have one to update, and AgentHost sessions have none (no network).", "authorization_token");

    private static async Task<IResult> DeleteAsync(string sessionId, string resourceId, SessionRecords sessions, ContainerService containers, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var session = await sessions.GetAsync(sessionId, cancellationToken);
            var resource = Find(session, resourceId);
            session.Wire["resources"]!.AsArray().Remove(resource);
            if (await sessions.SaveAsync(session, session.Status, session.Status, cancellationToken))
            {
                try
                {
                    await containers.DeleteFileAsync(session.ContainerId, (string)resource["container_file_id"]!, cancellationToken);
                }
                catch (ApiException)
                {
                    // The agent removed the file from the workspace already.
                }

                return ManagedAgentsApi.Json(new JsonObject { ["id"] = resourceId, ["type"] = "session_resource_deleted" });
            }

            if (attempt == 4)
            {
                throw new ApiException(ApiErrorKind.Conflict, $"Session '{sessionId}' kept changing; try again.", null);
            }
        }
    }

    private static JsonNode Find(SessionState session, string resourceId) =>
        session.Wire["resources"]!.AsArray().FirstOrDefault(r => (string?)r!["id"] == resourceId)
            ?? throw new ApiException(ApiErrorKind.NotFound, $"Resource '{resourceId}' not found in session '{session.Id}'.", "resource_id", "resource_not_found");
}
