using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace AgentHost.Testing;

/// <summary>The wire-level shapes every provider shares: a JSON body, an SSE stream, a stall.</summary>
public static class ScriptedResponses
{
    public static ScriptedResponse Json(int status, JsonNode body, params (string Name, string Value)[] headers)
    {
        var json = body.ToJsonString();
        return async context =>
        {
            context.Response.StatusCode = status;
            foreach (var (name, value) in headers)
            {
                context.Response.Headers[name] = value;
            }

            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(json);
        };
    }

    /// <summary>
    /// Streams <paramref name="events"/>. After <paramref name="breakAfter"/> events it drops the connection, or
    /// with <paramref name="stall"/> goes silent until the client gives up.
    /// </summary>
    /// <param name="clientCaughtUp">
    /// Completed by the test once it has read what was sent: dropping a connection resets it, and a reset
    /// discards data the client has not read yet.
    /// </param>
    public static ScriptedResponse Sse(IReadOnlyList<SseEvent> events, int? breakAfter = null, bool stall = false, Task? clientCaughtUp = null) => async context =>
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        for (var i = 0; i < events.Count; i++)
        {
            if (i == breakAfter)
            {
                if (stall)
                {
                    await Stall()(context);
                }
                else
                {
                    await (clientCaughtUp ?? Task.CompletedTask).WaitAsync(TimeSpan.FromSeconds(10));
                    context.Abort();
                }

                return;
            }

            var (name, data) = (events[i].Event, events[i].Data);
            await context.Response.WriteAsync(name is null ? $"data: {data}\n\n" : $"event: {name}\ndata: {data}\n\n");
            await context.Response.Body.FlushAsync();
        }
    };

    /// <summary>Never answers; the request ends when the client gives up.</summary>
    public static ScriptedResponse Stall() => async context =>
    {
        try
        {
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            // The client timed out, which is what the test wants.
        }
    };
}
