using System.Text;
using System.Text.Json;
using AgentHost.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace AgentHost.Bench;

/// <summary>
/// A model that answers at once in OpenAI's Chat Completions wire format, so every measured millisecond
/// is AgentHost's (or the client's). Replies are precomputed bytes; only the request body is read.
/// </summary>
internal sealed class InstantUpstream : IAsyncDisposable
{
    private static readonly byte[] StreamedAnswer = Encoding.UTF8.GetBytes(string.Concat(
        Chunk("""{"role":"assistant","content":""}""", "null"),
        Chunk("""{"content":"Hello"}""", "null"),
        Chunk("""{"content":" from"}""", "null"),
        Chunk("""{"content":" the bench."}""", "null"),
        Chunk("{}", "\"stop\""),
        """data: {"id":"chatcmpl-bench","object":"chat.completion.chunk","created":1,"model":"gpt-4o","choices":[],"usage":{"prompt_tokens":12,"completion_tokens":4,"total_tokens":16}}""" + "\n\n",
        "data: [DONE]\n\n"));

    private static readonly byte[] JsonAnswer = Encoding.UTF8.GetBytes(
        """{"id":"chatcmpl-bench","object":"chat.completion","created":1,"model":"gpt-4o","choices":[{"index":0,"message":{"role":"assistant","content":"Hello from the bench."},"finish_reason":"stop"}],"usage":{"prompt_tokens":12,"completion_tokens":4,"total_tokens":16}}""");

    private static readonly byte[] AnthropicStreamedAnswer = Encoding.UTF8.GetBytes(string.Concat(
        Event("message_start", """{"type":"message_start","message":{"id":"msg_bench","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":12,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":1}}}"""),
        Event("content_block_start", """{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"""),
        Event("ping", """{"type":"ping"}"""),
        Event("content_block_delta", """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello"}}"""),
        Event("content_block_delta", """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":" from"}}"""),
        Event("content_block_delta", """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":" the bench."}}"""),
        Event("content_block_stop", """{"type":"content_block_stop","index":0}"""),
        Event("message_delta", """{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"input_tokens":12,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":4}}"""),
        Event("message_stop", """{"type":"message_stop"}""")));

    private static readonly byte[] AnthropicJsonAnswer = Encoding.UTF8.GetBytes(
        """{"id":"msg_bench","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[{"type":"text","text":"Hello from the bench."}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":12,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":4}}""");

    private static readonly byte[] StreamedFileSearchCall = Encoding.UTF8.GetBytes(string.Concat(
        Chunk("""{"role":"assistant","content":null,"tool_calls":[{"index":0,"id":"call_bench","type":"function","function":{"name":"file_search","arguments":"{\"queries\":[\"quick brown fox\"]}"}}]}""", "null"),
        Chunk("{}", "\"tool_calls\""),
        """data: {"id":"chatcmpl-bench","object":"chat.completion.chunk","created":1,"model":"gpt-4o","choices":[],"usage":{"prompt_tokens":12,"completion_tokens":4,"total_tokens":16}}""" + "\n\n",
        "data: [DONE]\n\n"));

    private static readonly byte[] JsonFileSearchCall = Encoding.UTF8.GetBytes(
        """{"id":"chatcmpl-bench","object":"chat.completion","created":1,"model":"gpt-4o","choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[{"id":"call_bench","type":"function","function":{"name":"file_search","arguments":"{\"queries\":[\"quick brown fox\"]}"}}]},"finish_reason":"tool_calls"}],"usage":{"prompt_tokens":12,"completion_tokens":4,"total_tokens":16}}""");

    private static readonly byte[] RoleChunk = Encoding.UTF8.GetBytes(Chunk("""{"role":"assistant","content":""}""", "null"));

    private static readonly byte[] WordChunk = Encoding.UTF8.GetBytes(Chunk("""{"content":" word"}""", "null"));

    private static readonly byte[] TrickleEnd = Encoding.UTF8.GetBytes(string.Concat(
        Chunk("{}", "\"stop\""),
        """data: {"id":"chatcmpl-bench","object":"chat.completion.chunk","created":1,"model":"gpt-4o","choices":[],"usage":{"prompt_tokens":12,"completion_tokens":4,"total_tokens":16}}""" + "\n\n",
        "data: [DONE]\n\n"));

    private readonly LoopbackServer server;

    private InstantUpstream(LoopbackServer server) => this.server = server;

    /// <summary>Origin of the server, without <c>/v1</c>.</summary>
    public string BaseUrl => server.Origin;

    public static async Task<InstantUpstream> StartAsync() => new(await LoopbackServer.StartAsync(app =>
    {
        app.MapPost("/v1/chat/completions", AnswerAsync);
        app.MapPost("/v1/messages", AnswerAnthropicAsync);
    }));

    /// <summary>
    /// An upstream that holds every streamed Chat Completions answer open for <paramref name="hold"/>: the role chunk
    /// at once, then <paramref name="deltas"/> one-word deltas spread evenly over the hold, then finish, usage and
    /// <c>[DONE]</c>. Each chunk is flushed as it is written, as a model streaming tokens does.
    /// </summary>
    public static async Task<InstantUpstream> StartTricklingAsync(TimeSpan hold, int deltas) => new(await LoopbackServer.StartAsync(app =>
        app.MapPost("/v1/chat/completions", context => TrickleAsync(context, hold, deltas))));

    private static async Task TrickleAsync(HttpContext context, TimeSpan hold, int deltas)
    {
        using (await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted))
        {
        }

        context.Response.ContentType = "text/event-stream";
        await context.Response.Body.WriteAsync(RoleChunk, context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
        var gap = hold / (deltas + 1);
        for (var i = 0; i < deltas; i++)
        {
            await Task.Delay(gap, context.RequestAborted);
            await context.Response.Body.WriteAsync(WordChunk, context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
        }

        await Task.Delay(gap, context.RequestAborted);
        await context.Response.Body.WriteAsync(TrickleEnd, context.RequestAborted);
    }

    private static async Task AnswerAsync(HttpContext context)
    {
        using var request = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        var streamed = request.RootElement.TryGetProperty("stream", out var stream) && stream.ValueKind == JsonValueKind.True;
        context.Response.ContentType = streamed ? "text/event-stream" : "application/json";
        var search = SearchesFirst(request.RootElement);
        await context.Response.Body.WriteAsync(streamed ? (search ? StreamedFileSearchCall : StreamedAnswer) : (search ? JsonFileSearchCall : JsonAnswer), context.RequestAborted);
    }

    /// <summary>Whether the model calls <c>file_search</c>: when it is offered and the last message is not a tool's answer (to which it answers in text).</summary>
    private static bool SearchesFirst(JsonElement request)
    {
        if (!request.TryGetProperty("tools", out var tools) || tools.ValueKind != JsonValueKind.Array
            || !tools.EnumerateArray().Any(t => t.TryGetProperty("function", out var f) && f.TryGetProperty("name", out var n) && n.ValueEquals("file_search")))
        {
            return false;
        }

        return !request.TryGetProperty("messages", out var messages) || messages.ValueKind != JsonValueKind.Array || messages.GetArrayLength() == 0
            || !(messages[messages.GetArrayLength() - 1].TryGetProperty("role", out var role) && role.ValueEquals("tool"));
    }

    /// <summary>The same answer in Anthropic's Messages wire format.</summary>
    private static async Task AnswerAnthropicAsync(HttpContext context)
    {
        using var request = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        var streamed = request.RootElement.TryGetProperty("stream", out var stream) && stream.ValueKind == JsonValueKind.True;
        context.Response.ContentType = streamed ? "text/event-stream" : "application/json";
        await context.Response.Body.WriteAsync(streamed ? AnthropicStreamedAnswer : AnthropicJsonAnswer, context.RequestAborted);
    }

    private static string Event(string name, string data) => $"event: {name}\ndata: {data}\n\n";

    private static string Chunk(string delta, string finishReason) =>
        $$"""data: {"id":"chatcmpl-bench","object":"chat.completion.chunk","created":1,"model":"gpt-4o","choices":[{"index":0,"delta":{{delta}},"finish_reason":{{finishReason}}}]}""" + "\n\n";

    public ValueTask DisposeAsync() => server.DisposeAsync();
}
