using System.Text;
using System.Text.Json.Nodes;
using AgentHost.Core.Errors;
using AgentHost.Core.ManagedAgents;
using AgentHost.Server.Http;

namespace AgentHost.Server.ManagedAgents;

/// <summary>
/// <c>/v1/sessions/{id}/events</c>: send events, list the log (oldest first by default), and stream it over SSE. A stream
/// has no replay: it carries what is appended after it opens, so a client that reconnects lists what it missed and
/// drops what it already has by event id.
/// </summary>
internal static class SessionEventEndpoints
{
    private static readonly TimeSpan PingInterval = TimeSpan.FromSeconds(15);

    public static void Map(RouteGroupBuilder group)
    {
        group.MapPost("/sessions/{sessionId}/events", SendAsync);
        group.MapGet("/sessions/{sessionId}/events", ListAsync);
        group.MapGet("/sessions/{sessionId}/events/stream", StreamAsync);
    }

    private static async Task<IResult> SendAsync(string sessionId, HttpRequest http, SessionRecords sessions, SessionTurns turns, CancellationToken cancellationToken)
    {
        var request = (await JsonRequest.ReadAsync(http, cancellationToken)).Allow("events");
        var events = SessionEventReader.Read(request, "events", initial: false);
        _ = await sessions.GetAsync(sessionId, cancellationToken);
        var sent = new List<JsonNode>();
        for (var i = 0; i < events.Count;)
        {
            // Consecutive events of one kind go together: messages start one turn, answers resume it once.
            var type = (string)events[i]["type"]!;
            var kind = type is "user.custom_tool_result" or "user.tool_confirmation" ? "answer" : type;
            var run = events.Skip(i).TakeWhile(e => ((string)e["type"]! is "user.custom_tool_result" or "user.tool_confirmation" ? "answer" : (string)e["type"]!) == kind).ToList();
            var session = await sessions.GetAsync(sessionId, cancellationToken);
            if (kind == "user.interrupt")
            {
                foreach (var interrupt in run)
                {
                    sent.Add(await turns.InterruptAsync(session, interrupt, cancellationToken));
                    session = await sessions.GetAsync(sessionId, cancellationToken);
                }
            }
            else
            {
                sent.AddRange(kind == "answer"
                    ? await turns.AnswerAsync(session, run, cancellationToken)
                    : await turns.StartTurnAsync(session, run, cancellationToken));
            }

            i += run.Count;
        }

        return ManagedAgentsApi.Json(new JsonObject { ["data"] = new JsonArray([.. sent]) });
    }

    private static async Task<IResult> ListAsync(string sessionId, HttpRequest http, IManagedAgentStore store, CancellationToken cancellationToken)
    {
        _ = await store.GetAsync(ManagedObjectKinds.Session, sessionId, null, cancellationToken) ?? throw SessionRecords.NotFound(sessionId);
        var order = http.Query["order"].ToString();
        if (order.Length > 0 && order is not ("asc" or "desc"))
        {
            throw ApiException.Invalid($"Invalid 'order': '{order}' is not one of asc, desc.", "order");
        }

        var after = ManagedAgentsApi.TimeQuery(http, "created_at[gt]") ?? ManagedAgentsApi.TimeQuery(http, "created_at[gte]") - 1;
        var before = ManagedAgentsApi.TimeQuery(http, "created_at[lt]") ?? ManagedAgentsApi.TimeQuery(http, "created_at[lte]") + 1;
        var page = await store.ListEventsAsync(sessionId, new SessionEventQuery
        {
            Limit = ManagedAgentsApi.Limit(http, 100),
            Ascending = order != "desc",
            After = http.Query["page"].ToString() is { Length: > 0 } cursor ? cursor : null,
            Types = [.. http.Query["types[]"].Concat(http.Query["types"]).OfType<string>().SelectMany(t => t.Split(','))],
            ProcessedAfterMs = after,
            ProcessedBeforeMs = before,
        }, cancellationToken);
        var next = page.HasMore && page.Data.Count > 0 ? page.Data[^1].Id : null;
        return ManagedAgentsApi.Json(ManagedAgentsApi.Page(page.Data.Select(e => JsonNode.Parse(SessionCompactionRecord.Public(e))!), next));
    }

    private static async Task StreamAsync(string sessionId, HttpContext context, IManagedAgentStore store, SessionEventLog log, SessionPreviews previews, TimeProvider time)
    {
        var cancellationToken = context.RequestAborted;
        var deltas = EventDeltas(context.Request);
        _ = await store.GetAsync(ManagedObjectKinds.Session, sessionId, null, cancellationToken) ?? throw SessionRecords.NotFound(sessionId);
        using var watch = deltas.Count > 0 ? previews.Subscribe(sessionId) : null;
        var newest = await store.ListEventsAsync(sessionId, new SessionEventQuery { Ascending = false, Limit = 1 }, cancellationToken);
        var seen = newest.Data.Count > 0 ? newest.Data[0].Sequence : 0;
        var pending = new Queue<SessionPreview>();

        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        await response.Body.FlushAsync(cancellationToken);
        var lastWrite = time.GetUtcNow();
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var appended = log.AppendedAsync(sessionId, cancellationToken);
                var records = await store.EventsAfterAsync(sessionId, seen, cancellationToken);
                while (watch is not null && watch.Reader.TryRead(out var preview))
                {
                    pending.Enqueue(preview);
                }

                // A preview goes after the last event its turn had logged when it was made, and before the next.
                foreach (var record in records)
                {
                    while (pending.TryPeek(out var preview) && preview.After < record.Sequence)
                    {
                        await WritePreviewAsync(response, pending.Dequeue(), deltas, cancellationToken);
                    }

                    await response.Body.WriteAsync(Encoding.UTF8.GetBytes($"event: {record.Type}\ndata: {SessionCompactionRecord.Public(record)}\n\n"), cancellationToken);
                    seen = record.Sequence;
                    lastWrite = time.GetUtcNow();
                }

                while (pending.TryPeek(out var preview) && preview.After <= seen)
                {
                    await WritePreviewAsync(response, pending.Dequeue(), deltas, cancellationToken);
                    lastWrite = time.GetUtcNow();
                }

                await response.Body.FlushAsync(cancellationToken);
                if (time.GetUtcNow() - lastWrite >= PingInterval)
                {
                    await response.Body.WriteAsync("event: ping\ndata: {\"type\":\"ping\"}\n\n"u8.ToArray(), cancellationToken);
                    await response.Body.FlushAsync(cancellationToken);
                    lastWrite = time.GetUtcNow();
                }

                if (await store.GetAsync(ManagedObjectKinds.Session, sessionId, null, cancellationToken) is null)
                {
                    return;
                }

                if (watch is null || pending.Count > 0)
                {
                    await appended;
                }
                else
                {
                    await Task.WhenAny(appended, watch.Reader.WaitToReadAsync(cancellationToken).AsTask());
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away; the session carries on.
        }
    }

    /// <summary>The event types whose previews the stream asked for (<c>event_deltas[]</c>); a 400 naming an unknown one.</summary>
    private static HashSet<string> EventDeltas(HttpRequest request)
    {
        var types = new HashSet<string>(StringComparer.Ordinal);
        foreach (var type in request.Query["event_deltas[]"].Concat(request.Query["event_deltas"]).OfType<string>().SelectMany(t => t.Split(',')))
        {
            types.Add(type is "agent.message" or "agent.thinking"
                ? type
                : throw ApiException.Invalid($"Invalid 'event_deltas': '{type}' is not one of agent.message, agent.thinking.", "event_deltas"));
        }

        return types;
    }

    private static async Task WritePreviewAsync(HttpResponse response, SessionPreview preview, HashSet<string> deltas, CancellationToken cancellationToken)
    {
        if (deltas.Contains(preview.PreviewedType))
        {
            await response.Body.WriteAsync(Encoding.UTF8.GetBytes($"event: {preview.Type}\ndata: {preview.Json}\n\n"), cancellationToken);
        }
    }
}
