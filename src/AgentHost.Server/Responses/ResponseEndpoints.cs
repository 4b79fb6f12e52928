using System.Text.Json.Nodes;
using AgentHost.Core.Domain;
using AgentHost.Core.Engine;
using AgentHost.Core.Errors;
using AgentHost.Core.Events;
using AgentHost.Core.Storage;
using AgentHost.Core.Tools;
using AgentHost.Server.Http;

namespace AgentHost.Server.Responses;

/// <summary>
/// <c>/v1/responses</c>: create (answered when the response ends, streamed as it runs, or queued in the background),
/// retrieve, delete, cancel and list input items. A response is a run of the engine, watched through its events.
/// </summary>
internal static class ResponseEndpoints
{
    public static void MapResponseEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/responses");
        group.MapPost("", CreateAsync);
        group.MapGet("/{responseId}", GetAsync);
        group.MapDelete("/{responseId}", DeleteAsync);
        group.MapPost("/{responseId}/cancel", CancelAsync);
        group.MapGet("/{responseId}/input_items", ListInputItemsAsync);
        routes.MapResponseInputEndpoints();
    }

    private static async Task<IResult> CreateAsync(HttpContext http, ResponseService service, ResponseRecords records, RunEventHub hub, ResponseWaiters waiters,
        ResponseEventRecorder recorder, ToolSources sources, CancellationToken cancellationToken)
    {
        var creation = ResponseRequestReader.Read(await JsonRequest.ReadAsync(http.Request, cancellationToken), sources);
        creation.Settings[ResponseCodeInterpreter.ApiBaseKey] = $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}";
        var id = ResponseIds.Response();
        if (creation.Background)
        {
            // Its events are recorded from the start, so any reader (this one streaming, or a later GET) replays the same stream.
            var watched = hub.SubscribeHere(id);
            try
            {
                var queued = await service.CreateAsync(id, creation, cancellationToken);
                await recorder.StartAsync(queued, creation.Settings, watched, cancellationToken);
                service.Start(id);
                return creation.Stream ? await StreamRecordedAsync(http, id, -1, records, recorder, cancellationToken) : Json(ResponseObject.Build(id, creation.Settings, queued, []));
            }
            catch
            {
                watched.Dispose();
                throw;
            }
        }

        var view = ResponseView.ForCreation(creation.Settings, creation.Include);
        using var subscription = hub.Subscribe(id);
        var waiting = creation.Store ? null : waiters.Wait(id);
        try
        {
            var run = await service.CreateAsync(id, creation, cancellationToken);

            var renderer = new ResponseStreamRenderer(id, creation.Settings, view, call => records.RecordedCallAsync(run, call, view), records.Seal);
            var stream = creation.Stream ? new ResponseEventStream(http.Response) : null;
            if (stream is not null)
            {
                // Sent at once, before the run is started: the client hears of its response first.
                await stream.StartAsync();
                await stream.WriteAsync(renderer.Created(run, creation.Background), cancellationToken);
            }

            service.Start(id);
            var ended = await RelayUntilEndAsync(subscription, renderer, stream, cancellationToken);
            var response = ResponseObject.Build(id, creation.Settings, ended, await records.OutputAsync(ended, view, cancellationToken));
            if (stream is null)
            {
                return ended.Status == RunStatus.Failed && ended.LastError is { } error ? await ResponseFailure.OfAsync(http, error, ended.Model, cancellationToken) : Json(response);
            }

            await stream.WriteAsync(renderer.Ended(response), cancellationToken);
            return Results.Empty;
        }
        finally
        {
            if (waiting is not null)
            {
                // Nothing of a store:false response outlives its answer; if its run is still going, its end forgets it.
                waiting.Dispose();
                if (await records.Store.GetAsync(id, CancellationToken.None) is not null && await RunEndedAsync(records, id))
                {
                    await records.ForgetAsync(id);
                }
            }
        }
    }

    private static async Task<bool> RunEndedAsync(ResponseRecords records, string id) =>
        await records.Runs.GetRunAsync(id, id, CancellationToken.None) is { } run && RunStatus.IsTerminal(run.Status);

    /// <summary>
    /// Renders the run's events (to the stream, if any) until it ends; returns the ended run. Events already published
    /// are sent together: one flush (one write to the socket) per burst, not per event.
    /// </summary>
    private static async Task<ThreadRun> RelayUntilEndAsync(RunSubscription subscription, ResponseStreamRenderer renderer, ResponseEventStream? stream,
        CancellationToken cancellationToken)
    {
        while (true)
        {
            if (stream is not null)
            {
                await stream.FlushAsync(cancellationToken);
            }

            if (!await subscription.WaitToReadAsync(cancellationToken))
            {
                break;
            }

            while (subscription.TryRead(out var agentEvent))
            {
                if (agentEvent is RunStatusChanged changed && RunStatus.IsTerminal(changed.Run.Status))
                {
                    return changed.Run;
                }

                if (stream is null)
                {
                    continue;
                }

                foreach (var streamEvent in await renderer.RenderAsync(agentEvent))
                {
                    stream.Write(streamEvent);
                }
            }
        }

        throw new InvalidOperationException("The run's event subscription ended before the run did.");
    }

    private static async Task<IResult> GetAsync(string responseId, HttpContext http, ResponseRecords records, ResponseEventRecorder recorder, CancellationToken cancellationToken)
    {
        if (http.Request.Query["stream"] == "true")
        {
            var stored = await records.Store.GetAsync(responseId, cancellationToken) ?? throw ResponseService.NotFound(responseId);
            if (ResponseRecords.Settings(stored)["background"]?.GetValue<bool>() != true)
            {
                throw ApiException.Invalid("Only responses created with background=true can be streamed again.", "stream", "invalid_request");
            }

            var after = -1L;
            if (http.Request.Query["starting_after"] is { Count: > 0 } text && (!long.TryParse(text, out after) || after < -1))
            {
                throw ApiException.Invalid($"Invalid 'starting_after': expected a sequence number, but got '{text}' instead.", "starting_after", "invalid_value");
            }

            return await StreamRecordedAsync(http, responseId, after, records, recorder, cancellationToken);
        }

        var include = http.Request.Query["include[]"].Concat(http.Request.Query["include"]).OfType<string>().ToList();
        var response = await records.GetAsync(responseId, include, cancellationToken) ?? throw ResponseService.NotFound(responseId);
        return Json(response);
    }

    private static async Task<IResult> DeleteAsync(string responseId, ResponseService service, CancellationToken cancellationToken)
    {
        await service.DeleteAsync(responseId, cancellationToken);
        return Json(new JsonObject { ["id"] = responseId, ["object"] = "response.deleted", ["deleted"] = true });
    }

    private static async Task<IResult> CancelAsync(string responseId, ResponseService service, ResponseRecords records, RunEventHub hub, CancellationToken cancellationToken)
    {
        using var subscription = hub.Subscribe(responseId);
        await service.CancelAsync(responseId, cancellationToken);

        // The worker settles the cancellation at once; answer with the cancelled response, as the original does.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(10));
        while (await records.Runs.GetRunAsync(responseId, responseId, cancellationToken) is { } run && !RunStatus.IsTerminal(run.Status))
        {
            try
            {
                await subscription.WaitToReadAsync(deadline.Token);
                while (subscription.TryRead(out _))
                {
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                break;
            }
        }

        return Json(await records.GetAsync(responseId, null, cancellationToken) ?? throw ResponseService.NotFound(responseId));
    }

    private static async Task<IResult> ListInputItemsAsync(string responseId, HttpContext http, ResponseRecords records, CancellationToken cancellationToken)
    {
        var query = ListQueryReader.Read(http.Request);
        _ = await records.Store.GetAsync(responseId, cancellationToken) ?? throw ResponseService.NotFound(responseId);
        var items = await records.InputItemsAsync(responseId, cancellationToken);
        return Json(ItemPage.Of(items, query));
    }

    private static readonly string[] EndEvents = ["response.completed", "response.failed", "response.incomplete", "response.cancelled"];

    /// <summary>Streams a background response's recorded events after <paramref name="after"/>, following the recording until the response ends.</summary>
    private static async Task<IResult> StreamRecordedAsync(HttpContext http, string id, long after, ResponseRecords records, ResponseEventRecorder recorder,
        CancellationToken cancellationToken)
    {
        var stream = new ResponseEventStream(http.Response);
        await stream.StartAsync();
        while (true)
        {
            var appended = recorder.AppendedAsync(id, cancellationToken);
            var events = await records.Store.GetEventsAsync(id, after, cancellationToken);
            foreach (var streamEvent in events)
            {
                var type = JsonNode.Parse(streamEvent.Data)!["type"]!.GetValue<string>();
                stream.WriteRaw(type, streamEvent.Data);
                after = streamEvent.SequenceNumber;
                if (Array.IndexOf(EndEvents, type) >= 0)
                {
                    await stream.FlushAsync(cancellationToken);
                    return Results.Empty;
                }
            }

            // The events read together go out together.
            await stream.FlushAsync(cancellationToken);

            if (events.Count == 0 && (await records.Store.GetAsync(id, cancellationToken) is null || !await recorder.FinishIfAbandonedAsync(id, cancellationToken)))
            {
                return Results.Empty;
            }

            await appended;
        }
    }

    public static IResult Json(JsonObject body) => Results.Text(body.ToJsonString(), "application/json", System.Text.Encoding.UTF8);
}
