using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using AgentHost.Core.Domain;
using AgentHost.Core.Engine;
using AgentHost.Core.Events;
using AgentHost.Core.Storage;

namespace AgentHost.Server.Responses;

/// <summary>
/// Keeps the stream events of background responses in the store as they happen, numbered as the stream numbers them,
/// so <c>GET /v1/responses/{id}?stream=true&amp;starting_after=N</c> resumes from any point, during the run and after a
/// restart (a resumed run is recorded again from where its events stopped).
/// </summary>
internal sealed partial class ResponseEventRecorder(ResponseRecords records, RunEventHub hub, ILogger<ResponseEventRecorder> logger)
{
    private readonly ConcurrentDictionary<string, byte> recording = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TaskCompletionSource> appended = new(StringComparer.Ordinal);

    /// <summary>Starts recording a new background response: its <c>response.created</c> now, then everything its run publishes.</summary>
    public async Task StartAsync(ThreadRun run, JsonObject settings, RunSubscription subscription, CancellationToken cancellationToken)
    {
        recording[run.Id] = 0;
        var renderer = Renderer(run, settings, 0, []);
        await AppendAsync(run.Id, renderer.Created(run, background: true), cancellationToken);
        await AppendAsync(run.Id, renderer.Queued(run), cancellationToken);
        _ = Task.Run(() => RecordAsync(run, settings, renderer, subscription));
    }

    /// <summary>Records a background response's run resumed after a restart, unless it is recorded already.</summary>
    public async Task EnsureRecordingAsync(ThreadRun run, CancellationToken cancellationToken)
    {
        if (!recording.TryAdd(run.Id, 0))
        {
            return;
        }

        if (await records.Store.GetAsync(run.Id, cancellationToken) is not { } stored || ResponseRecords.Settings(stored)["background"]?.GetValue<bool>() != true)
        {
            recording.TryRemove(run.Id, out _);
            return;
        }

        var subscription = hub.SubscribeHere(run.Id);
        var settings = ResponseRecords.Settings(stored);
        var sent = await records.Store.GetEventsAsync(run.Id, -1, cancellationToken);
        var done = await records.OutputAsync(run, ResponseView.ForCreation(settings), cancellationToken);
        var renderer = Renderer(run, settings, sent.Count == 0 ? 0 : sent[^1].SequenceNumber + 1, [.. done.Select(i => (string)i["id"]!)]);
        _ = Task.Run(() => RecordAsync(run, settings, renderer, subscription));
    }

    /// <summary>
    /// When the response's run ended but no recorder wrote its last event (the process stopped in between), writes it
    /// now. False when the response is gone.
    /// </summary>
    public async Task<bool> FinishIfAbandonedAsync(string responseId, CancellationToken cancellationToken)
    {
        if (recording.ContainsKey(responseId) || await records.Runs.GetRunAsync(responseId, responseId, cancellationToken) is not { } run)
        {
            return recording.ContainsKey(responseId);
        }

        if (!RunStatus.IsTerminal(run.Status) || await records.Store.GetAsync(responseId, cancellationToken) is not { } stored)
        {
            return true;
        }

        var sent = await records.Store.GetEventsAsync(responseId, -1, cancellationToken);
        if (sent.Count > 0 && JsonNode.Parse(sent[^1].Data)?["type"]?.GetValue<string>() is { } last && last.StartsWith("response.", StringComparison.Ordinal)
            && last is "response.completed" or "response.failed" or "response.incomplete" or "response.cancelled")
        {
            return false;
        }

        var settings = ResponseRecords.Settings(stored);
        var renderer = Renderer(run, settings, sent.Count == 0 ? 0 : sent[^1].SequenceNumber + 1, []);
        var response = ResponseObject.Build(run.Id, settings, run, await records.OutputAsync(run, ResponseView.ForCreation(settings), cancellationToken));
        await AppendAsync(responseId, renderer.Ended(response), cancellationToken);
        return true;
    }

    /// <summary>Completes when events after those already read may have been appended (or soon, to catch other writers).</summary>
    public Task AppendedAsync(string responseId, CancellationToken cancellationToken) =>
        appended.GetOrAdd(responseId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task
            .WaitAsync(TimeSpan.FromSeconds(1), cancellationToken)
            .ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    private ResponseStreamRenderer Renderer(ThreadRun run, JsonObject settings, long nextSequence, IReadOnlyList<string> items)
    {
        var view = ResponseView.ForCreation(settings);
        var renderer = new ResponseStreamRenderer(run.Id, settings, view, call => records.RecordedCallAsync(run, call, view), records.Seal) { NextSequence = nextSequence };
        renderer.Continue(items);
        return renderer;
    }

    private async Task RecordAsync(ThreadRun run, JsonObject settings, ResponseStreamRenderer renderer, RunSubscription subscription)
    {
        try
        {
            using (subscription)
            {
                while (await subscription.WaitToReadAsync(CancellationToken.None))
                {
                    while (subscription.TryRead(out var agentEvent))
                    {
                        if (agentEvent is RunStatusChanged changed && RunStatus.IsTerminal(changed.Run.Status))
                        {
                            var view = ResponseView.ForCreation(settings);
                            var response = ResponseObject.Build(run.Id, settings, changed.Run, await records.OutputAsync(changed.Run, view, CancellationToken.None));
                            await AppendAsync(run.Id, renderer.Ended(response), CancellationToken.None);
                            return;
                        }

                        foreach (var streamEvent in await renderer.RenderAsync(agentEvent))
                        {
                            await AppendAsync(run.Id, streamEvent, CancellationToken.None);
                        }
                    }
                }
            }
        }
        catch (Exception exception)
        {
            LogRecordingFailed(logger, run.Id, exception);
        }
        finally
        {
            recording.TryRemove(run.Id, out _);
        }
    }

    private async Task AppendAsync(string responseId, JsonObject streamEvent, CancellationToken cancellationToken)
    {
        await records.Store.AppendEventAsync(responseId, new StoredEvent((long)streamEvent["sequence_number"]!, streamEvent.ToJsonString()), cancellationToken);
        if (appended.TryRemove(responseId, out var waiting))
        {
            waiting.TrySetResult();
        }
    }

    [LoggerMessage(EventId = 4101, Level = LogLevel.Error, Message = "Recording the stream events of background response {ResponseId} failed")]
    private static partial void LogRecordingFailed(ILogger logger, string responseId, Exception exception);
}
