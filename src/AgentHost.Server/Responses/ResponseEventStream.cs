using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgentHost.Server.Responses;

/// <summary>
/// Writes Responses stream events as Server-Sent Events: <c>event: {type}</c> and the event as <c>data</c>, encoded
/// straight into the response's pipe. Writes are buffered; <see cref="FlushAsync"/> sends them, so a burst of events
/// already published goes out in one write to the socket.
/// </summary>
internal sealed class ResponseEventStream(HttpResponse response)
{
    private Utf8JsonWriter? json;

    public async Task StartAsync()
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        await response.StartAsync();
    }

    /// <summary>Buffers one event; its data is the same compact JSON <see cref="JsonNode.ToJsonString"/> gives.</summary>
    public void Write(JsonObject streamEvent)
    {
        var body = response.BodyWriter;
        body.Write("event: "u8);
        Encoding.UTF8.GetBytes((string)streamEvent["type"]!, body);
        body.Write("\ndata: "u8);
        if (json is null)
        {
            json = new Utf8JsonWriter(body);
        }
        else
        {
            json.Reset(body);
        }

        streamEvent.WriteTo(json);
        json.Flush();
        body.Write("\n\n"u8);
    }

    /// <summary>Buffers one event whose data is already JSON text (a recorded event).</summary>
    public void WriteRaw(string type, string data)
    {
        var body = response.BodyWriter;
        body.Write("event: "u8);
        Encoding.UTF8.GetBytes(type, body);
        body.Write("\ndata: "u8);
        Encoding.UTF8.GetBytes(data, body);
        body.Write("\n\n"u8);
    }

    public async Task WriteAsync(JsonObject streamEvent, CancellationToken cancellationToken)
    {
        Write(streamEvent);
        await FlushAsync(cancellationToken);
    }

    public async Task FlushAsync(CancellationToken cancellationToken) => await response.BodyWriter.FlushAsync(cancellationToken);
}
