using AgentHost.Core.Domain;
using AgentHost.Core.Engine;
using AgentHost.Core.Events;
using AgentHost.Server.Runs;

namespace AgentHost.Server.Http;

/// <summary>Writes a run's events as Assistants Server-Sent Events in the original's framing, ending with <c>event: done</c> / <c>[DONE]</c>.</summary>
/// <param name="includeFileSearchContent">Whether <c>include[]</c> asked for file_search result content in step events.</param>
internal sealed class EventStream(HttpResponse response, bool includeFileSearchContent = false)
{
    private readonly AssistantsSseWriter sse = new(response.BodyWriter);

    public async Task StartAsync()
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        await response.StartAsync();
    }

    /// <summary>Buffers what <paramref name="agentEvent"/> renders as (none, one or two SSE events); the next flush sends it.</summary>
    public void Write(AgentEvent agentEvent) => AssistantsStreamEvents.Write(agentEvent, includeFileSearchContent, sse);

    /// <summary>Buffers one event in the response's pipe, encoded straight into it; the next flush sends it.</summary>
    public void Write(AssistantsSseEvent sseEvent) => sse.Frame(sseEvent);

    /// <summary>Buffers <c>thread.created</c>.</summary>
    public void WriteThreadCreated(AssistantThread thread) => AssistantsStreamEvents.WriteThreadCreated(thread, sse);

    /// <summary>Buffers one event per name, each carrying <paramref name="run"/> (serialized once).</summary>
    public void WriteRun(ThreadRun run, params ReadOnlySpan<string> names) => AssistantsStreamEvents.WriteRun(run, sse, names);

    /// <summary>Buffers a step event named <paramref name="name"/>.</summary>
    public void WriteStep(string name, RunStep step) => AssistantsStreamEvents.WriteStep(name, step, includeFileSearchContent, sse);

    public async Task WriteAsync(AssistantsSseEvent sseEvent, CancellationToken cancellationToken)
    {
        Write(sseEvent);
        await response.BodyWriter.FlushAsync(cancellationToken);
    }

    public Task DoneAsync(CancellationToken cancellationToken) => WriteAsync(new AssistantsSseEvent("done", "[DONE]"), cancellationToken);

    /// <summary>
    /// Relays a subscribed run's events until it ends or pauses, then closes the stream. Events already published are
    /// sent together: one flush (one write to the socket) per burst, not per event.
    /// </summary>
    public async Task RelayAsync(RunSubscription subscription, CancellationToken cancellationToken)
    {
        while (true)
        {
            await response.BodyWriter.FlushAsync(cancellationToken);
            if (!await subscription.WaitToReadAsync(cancellationToken))
            {
                break;
            }

            while (subscription.TryRead(out var agentEvent))
            {
                Write(agentEvent);
                if (agentEvent is RunStatusChanged { EndsOrPauses: true } or ErrorOccurred)
                {
                    await DoneAsync(cancellationToken);
                    return;
                }
            }
        }

        await DoneAsync(cancellationToken);
    }
}
