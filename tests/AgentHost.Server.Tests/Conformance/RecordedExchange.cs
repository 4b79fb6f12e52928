using System.Text.Json;

namespace AgentHost.Server.Tests.Conformance;

/// <summary>One recorded request and its response from an openai-dotnet test session.</summary>
internal sealed class RecordedExchange
{
    public required string RequestMethod { get; init; }

    public required Uri RequestUri { get; init; }

    public required IReadOnlyDictionary<string, string> RequestHeaders { get; init; }

    /// <summary>The JSON request body; <see cref="JsonValueKind.Null"/> when there was none or it was multipart.</summary>
    public required JsonElement RequestBody { get; init; }

    public required int StatusCode { get; init; }

    public required IReadOnlyDictionary<string, string> ResponseHeaders { get; init; }

    /// <summary>The JSON response, or for a stream the array of its raw SSE lines.</summary>
    public required JsonElement ResponseBody { get; init; }

    public bool IsStreamed => ResponseBody.ValueKind == JsonValueKind.Array
        && ResponseHeaders.TryGetValue("Content-Type", out var type)
        && type.StartsWith("text/event-stream", StringComparison.Ordinal);

    /// <summary>The recorded path and query below <c>/v1</c>, e.g. <c>/threads/thread_abc/runs?limit=2</c>.</summary>
    public string Route => RequestUri.PathAndQuery.StartsWith("/v1/", StringComparison.Ordinal)
        ? RequestUri.PathAndQuery[3..]
        : RequestUri.PathAndQuery;

    /// <summary>The events of a streamed response.</summary>
    public IReadOnlyList<SseEvent> Events()
    {
        if (!IsStreamed)
        {
            throw new InvalidOperationException($"{this} is not a streamed response.");
        }

        return SseEventParser.Parse(string.Concat(ResponseBody.EnumerateArray().Select(line => line.GetString())));
    }

    public override string ToString() => $"{RequestMethod} {Route} -> {StatusCode}";
}
