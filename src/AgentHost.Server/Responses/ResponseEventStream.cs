using System.Text;
using System.Text.Json.Nodes;

namespace AgentHost.Server.Responses;

/// <summary>Writes Responses stream events as Server-Sent Events: <c>event: {type}</c> and the event as <c>data</c>.</summary>
internal sealed class ResponseEventStream(HttpResponse response)
{
    public async Task StartAsync()
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        await response.StartAsync();
    }

    public Task WriteAsync(JsonObject streamEvent, CancellationToken cancellationToken) =>
        WriteRawAsync((string)streamEvent["type"]!, streamEvent.ToJsonString(), cancellationToken);

    public async Task WriteRawAsync(string type, string data, CancellationToken cancellationToken)
    {
        await response.Body.WriteAsync(Encoding.UTF8.GetBytes($"event: {type}\ndata: {data}\n\n"), cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }
}
