using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AgentHost.Server.Tests.Observability;

/// <summary>
/// A model server speaking Anthropic's Messages API (streaming SSE and error envelopes) from a script, so runs on
/// <c>claude-*</c> models go through the real Anthropic SDK: 529 <c>overloaded_error</c>, tool use, cache usage.
/// </summary>
public sealed class ScriptedAnthropic : IAsyncDisposable
{
    private readonly ConcurrentQueue<AnthropicTurn> script = new();
    private readonly WebApplication app;

    private ScriptedAnthropic(WebApplication app) => this.app = app;

    public string BaseUrl { get; private set; } = string.Empty;

    public ConcurrentQueue<JsonObject> Requests { get; } = new();

    public static async Task<ScriptedAnthropic> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var upstream = new ScriptedAnthropic(builder.Build());
        upstream.app.MapPost("/v1/messages", upstream.HandleAsync);
        await upstream.app.StartAsync();
        upstream.BaseUrl = upstream.app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return upstream;
    }

    public void Enqueue(params AnthropicTurn[] turns)
    {
        foreach (var turn in turns)
        {
            script.Enqueue(turn);
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        Requests.Enqueue((await JsonNode.ParseAsync(context.Request.Body))!.AsObject());
        var turn = script.TryDequeue(out var next) ? next : AnthropicTurn.Say("(script empty)");
        if (turn.Status != 200)
        {
            context.Response.StatusCode = turn.Status;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(new JsonObject
            {
                ["type"] = "error",
                ["error"] = new JsonObject { ["type"] = turn.Status == 529 ? "overloaded_error" : "api_error", ["message"] = "Overloaded" },
            }.ToJsonString());
            return;
        }

        context.Response.ContentType = "text/event-stream";
        var usage = new JsonObject
        {
            ["input_tokens"] = turn.InputTokens,
            ["output_tokens"] = 1,
            ["cache_creation_input_tokens"] = turn.CacheWriteTokens,
            ["cache_read_input_tokens"] = turn.CacheReadTokens,
        };
        await SendAsync(context, "message_start", new JsonObject
        {
            ["type"] = "message_start",
            ["message"] = new JsonObject
            {
                ["id"] = "msg_scripted",
                ["type"] = "message",
                ["role"] = "assistant",
                ["model"] = "claude-sonnet-4-5-20250929",
                ["content"] = new JsonArray(),
                ["stop_reason"] = null,
                ["stop_sequence"] = null,
                ["usage"] = usage.DeepClone(),
            },
        });
        var index = 0;
        if (turn.Text is { } text)
        {
            await SendAsync(context, "content_block_start", new JsonObject { ["type"] = "content_block_start", ["index"] = index, ["content_block"] = new JsonObject { ["type"] = "text", ["text"] = "" } });
            await SendAsync(context, "content_block_delta", new JsonObject { ["type"] = "content_block_delta", ["index"] = index, ["delta"] = new JsonObject { ["type"] = "text_delta", ["text"] = text } });
            await SendAsync(context, "content_block_stop", new JsonObject { ["type"] = "content_block_stop", ["index"] = index++ });
        }

        if (turn.ToolUse is var (id, name, json))
        {
            await SendAsync(context, "content_block_start", new JsonObject
            {
                ["type"] = "content_block_start",
                ["index"] = index,
                ["content_block"] = new JsonObject { ["type"] = "tool_use", ["id"] = id, ["name"] = name, ["input"] = new JsonObject() },
            });
            await SendAsync(context, "content_block_delta", new JsonObject { ["type"] = "content_block_delta", ["index"] = index, ["delta"] = new JsonObject { ["type"] = "input_json_delta", ["partial_json"] = json } });
            await SendAsync(context, "content_block_stop", new JsonObject { ["type"] = "content_block_stop", ["index"] = index });
        }

        usage["output_tokens"] = turn.OutputTokens;
        await SendAsync(context, "message_delta", new JsonObject
        {
            ["type"] = "message_delta",
            ["delta"] = new JsonObject { ["stop_reason"] = turn.ToolUse is null ? "end_turn" : "tool_use", ["stop_sequence"] = null },
            ["usage"] = usage,
        });
        await SendAsync(context, "message_stop", new JsonObject { ["type"] = "message_stop" });
    }

    private static async Task SendAsync(HttpContext context, string name, JsonObject data)
    {
        await context.Response.WriteAsync($"event: {name}\ndata: {data.ToJsonString()}\n\n", Encoding.UTF8);
        await context.Response.Body.FlushAsync();
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}
