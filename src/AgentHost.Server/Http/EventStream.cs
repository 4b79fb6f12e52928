using System.Text;
using System.Text.Json;
using AgentHost.Core.Domain;
using AgentHost.Core.FileSearch;
using AgentHost.Core.Json;
using AgentHost.Core.Engine;

namespace AgentHost.Server.Http;

/// <summary>Writes run events as Server-Sent Events in the original's framing, ending with <c>event: done</c> / <c>[DONE]</c>.</summary>
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

    public Task WriteAsync(RunEvent runEvent, CancellationToken cancellationToken) => runEvent.Data is RunStep step
        ? WriteAsync(runEvent.Name, JsonSerializer.Serialize(FileSearchStepView.ForClient(step, includeFileSearchContent), CoreJsonContext.Default.RunStep), cancellationToken)
        : WriteAsync(runEvent.Name, runEvent.SerializeData(), cancellationToken);

    public async Task WriteAsync(string name, string data, CancellationToken cancellationToken)
    {
        await response.Body.WriteAsync(Encoding.UTF8.GetBytes($"event: {name}\ndata: {data}\n\n"), cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }

    public Task DoneAsync(CancellationToken cancellationToken) => WriteAsync("done", "[DONE]", cancellationToken);

    /// <summary>Relays a subscribed run's events until it ends or pauses, then closes the stream.</summary>
    public async Task RelayAsync(RunSubscription subscription, CancellationToken cancellationToken)
    {
        await foreach (var runEvent in subscription.ReadUntilPauseAsync(cancellationToken))
        {
            await WriteAsync(runEvent, cancellationToken);
        }

        await DoneAsync(cancellationToken);
    }
}
