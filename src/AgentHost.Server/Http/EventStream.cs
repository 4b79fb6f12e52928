using System.Text;
using AgentHost.Core.Engine;
using AgentHost.Core.Events;
using AgentHost.Server.Runs;

namespace AgentHost.Server.Http;

/// <summary>Writes a run's events as Assistants Server-Sent Events in the original's framing, ending with <c>event: done</c> / <c>[DONE]</c>.</summary>
/// <param name="includeFileSearchContent">Whether <c>include[]</c> asked for file_search result content in step events.</param>
internal sealed class EventStream(HttpResponse response, bool includeFileSearchContent = false)
{
    public async Task StartAsync()
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        await response.StartAsync();
    }

    public bool IncludeFileSearchContent => includeFileSearchContent;

    /// <summary>Writes what <paramref name="agentEvent"/> renders as (none, one or two SSE events).</summary>
    public async Task WriteAsync(AgentEvent agentEvent, CancellationToken cancellationToken)
    {
        foreach (var sseEvent in AssistantsStreamEvents.Render(agentEvent, includeFileSearchContent))
        {
            await WriteAsync(sseEvent, cancellationToken);
        }
    }

    public async Task WriteAsync(AssistantsSseEvent sseEvent, CancellationToken cancellationToken)
    {
        await response.Body.WriteAsync(Encoding.UTF8.GetBytes($"event: {sseEvent.Name}\ndata: {sseEvent.Data}\n\n"), cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }

    public Task DoneAsync(CancellationToken cancellationToken) => WriteAsync(new AssistantsSseEvent("done", "[DONE]"), cancellationToken);

    /// <summary>Relays a subscribed run's events until it ends or pauses, then closes the stream.</summary>
    public async Task RelayAsync(RunSubscription subscription, CancellationToken cancellationToken)
    {
        await foreach (var agentEvent in subscription.ReadUntilPauseAsync(cancellationToken))
        {
            await WriteAsync(agentEvent, cancellationToken);
        }

        await DoneAsync(cancellationToken);
    }
}
