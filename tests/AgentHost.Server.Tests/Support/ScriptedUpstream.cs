using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using AgentHost.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace AgentHost.Server.Tests.Support;

/// <summary>
/// A model server speaking OpenAI's Chat Completions and Anthropic's Messages wire formats (JSON and SSE) from a
/// script, on a free loopback port. AgentHost reaches it through the real SDKs, exactly as it reaches the real APIs.
/// </summary>
public sealed class ScriptedUpstream : IAsyncDisposable
{
    private readonly ConcurrentQueue<ScriptedTurn> script = new();
    private int abortedCalls;
    private LoopbackServer? server;

    /// <summary>Without <c>/v1</c>: the Anthropic SDK appends <c>/v1/messages</c> itself.</summary>
    public string RootUrl => server!.Origin;

    /// <summary>With <c>/v1</c>, as OpenAI-style clients expect.</summary>
    public string BaseUrl => RootUrl + "/v1";

    /// <summary>The paths requests arrived on, in order (the wire format each provider used).</summary>
    public ConcurrentQueue<string> Paths { get; } = new();

    /// <summary>What <c>count_tokens</c> answers.</summary>
    public int CountedTokens { get; set; } = 42;

    public ConcurrentQueue<JsonObject> Requests { get; } = new();

    /// <summary>Model calls whose client went away before the answer was complete.</summary>
    public int AbortedCalls => abortedCalls;

    /// <summary>What the model answers when the script is empty.</summary>
    public ScriptedTurn Default { get; set; } = ScriptedTurn.Say("Hello from the scripted model.");

    public static async Task<ScriptedUpstream> StartAsync()
    {
        var upstream = new ScriptedUpstream();
        upstream.server = await LoopbackServer.StartAsync(app =>
        {
            app.MapPost("/v1/chat/completions", context => upstream.AnswerAsync(context, "gpt-4o", OpenAITurns.Response));
            app.MapPost("/v1/messages", context => upstream.AnswerAsync(context, "claude-sonnet-4-5", AnthropicTurns.Response));
            app.MapPost("/v1/messages/count_tokens", upstream.CountTokensAsync);
        });
        return upstream;
    }

    public void Enqueue(params ScriptedTurn[] turns)
    {
        foreach (var turn in turns)
        {
            script.Enqueue(turn);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }

    private async Task AnswerAsync(HttpContext context, string defaultModel, Func<ScriptedTurn, string, bool, ScriptedResponse> wire)
    {
        var request = await RecordAsync(context);
        var turn = script.TryDequeue(out var next) ? next : Default;
        if (turn.Gate is { } gate)
        {
            await gate.Task.WaitAsync(context.RequestAborted);
        }

        var model = request["model"]?.GetValue<string>() ?? defaultModel;
        await wire(turn, model, request["stream"]?.GetValue<bool>() == true)(context);
        if (context.RequestAborted.IsCancellationRequested)
        {
            Interlocked.Increment(ref abortedCalls);
        }
    }

    private async Task CountTokensAsync(HttpContext context)
    {
        await RecordAsync(context);
        await context.Response.WriteAsJsonAsync(new { input_tokens = CountedTokens });
    }

    private async Task<JsonObject> RecordAsync(HttpContext context)
    {
        var request = (await JsonNode.ParseAsync(context.Request.Body))!.AsObject();
        Requests.Enqueue(request);
        Paths.Enqueue(context.Request.Path);
        return request;
    }
}
