using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AgentHost.Server.Tests.Support;

/// <summary>
/// A model server speaking OpenAI's Chat Completions wire format (JSON and SSE) from a script, on a free
/// loopback port. AgentHost reaches it through the real OpenAI SDK, exactly as it reaches api.openai.com.
/// </summary>
public sealed class ScriptedUpstream : IAsyncDisposable
{
    private readonly ConcurrentQueue<ScriptedTurn> script = new();
    private readonly WebApplication app;

    public ScriptedUpstream()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        app = builder.Build();
        app.MapPost("/v1/chat/completions", HandleAsync);
    }

    public ConcurrentQueue<JsonObject> Requests { get; } = new();

    public string BaseUrl { get; private set; } = string.Empty;

    /// <summary>What the model answers when the script is empty.</summary>
    public ScriptedTurn Default { get; set; } = ScriptedTurn.Say("Hello from the scripted model.");

    public static async Task<ScriptedUpstream> StartAsync()
    {
        var upstream = new ScriptedUpstream();
        await upstream.app.StartAsync();
        upstream.BaseUrl = upstream.app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/v1";
        return upstream;
    }

    public void Enqueue(params ScriptedTurn[] turns)
    {
        foreach (var turn in turns)
        {
            script.Enqueue(turn);
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = (await JsonNode.ParseAsync(context.Request.Body))!.AsObject();
        Requests.Enqueue(request);
        var turn = script.TryDequeue(out var next) ? next : Default;
        if (turn.Gate is { } gate)
        {
            await gate.Task.WaitAsync(context.RequestAborted);
        }

        if (turn.Status != 200)
        {
            context.Response.StatusCode = turn.Status;
            await context.Response.WriteAsJsonAsync(new { error = new { message = "scripted failure", type = "server_error", param = (string?)null, code = (string?)null } });
            return;
        }

        var model = request["model"]?.GetValue<string>() ?? "gpt-4o";
        if (request["stream"]?.GetValue<bool>() == true)
        {
            await StreamAsync(context, turn, model);
            return;
        }

        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(Completion(turn, model).ToJsonString());
    }

    private static async Task StreamAsync(HttpContext context, ScriptedTurn turn, string model)
    {
        context.Response.ContentType = "text/event-stream";
        async Task Send(JsonObject delta, string? finish = null, JsonObject? usage = null)
        {
            var chunk = new JsonObject
            {
                ["id"] = "chatcmpl-scripted",
                ["object"] = "chat.completion.chunk",
                ["created"] = 1,
                ["model"] = model,
                ["choices"] = usage is null ? new JsonArray(new JsonObject { ["index"] = 0, ["delta"] = delta, ["finish_reason"] = finish }) : new JsonArray(),
            };
            if (usage is not null)
            {
                chunk["usage"] = usage;
            }

            await context.Response.WriteAsync($"data: {chunk.ToJsonString()}\n\n", Encoding.UTF8);
            await context.Response.Body.FlushAsync();
        }

        await Send(new JsonObject { ["role"] = "assistant", ["content"] = "" });
        if (turn.Text is { } text)
        {
            foreach (var word in text.Split(' '))
            {
                await Send(new JsonObject { ["content"] = word == text.Split(' ')[0] ? word : " " + word });
            }
        }

        for (var i = 0; i < turn.ToolCalls.Count; i++)
        {
            var (id, name, arguments) = turn.ToolCalls[i];
            await Send(new JsonObject { ["tool_calls"] = new JsonArray(new JsonObject { ["index"] = i, ["id"] = id, ["type"] = "function", ["function"] = new JsonObject { ["name"] = name, ["arguments"] = "" } }) });
            await Send(new JsonObject { ["tool_calls"] = new JsonArray(new JsonObject { ["index"] = i, ["function"] = new JsonObject { ["arguments"] = arguments } }) });
        }

        await Send(new JsonObject(), turn.FinishReason);
        await Send(new JsonObject(), null, Usage(turn));
        await context.Response.WriteAsync("data: [DONE]\n\n");
    }

    private static JsonObject Completion(ScriptedTurn turn, string model)
    {
        var message = new JsonObject { ["role"] = "assistant", ["content"] = turn.Text };
        if (turn.ToolCalls.Count > 0)
        {
            message["tool_calls"] = new JsonArray(turn.ToolCalls.Select(c => (JsonNode)new JsonObject
            {
                ["id"] = c.Id,
                ["type"] = "function",
                ["function"] = new JsonObject { ["name"] = c.Name, ["arguments"] = c.Arguments },
            }).ToArray());
        }

        return new JsonObject
        {
            ["id"] = "chatcmpl-scripted",
            ["object"] = "chat.completion",
            ["created"] = 1,
            ["model"] = model,
            ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["message"] = message, ["finish_reason"] = turn.FinishReason }),
            ["usage"] = Usage(turn),
        };
    }

    private static JsonObject Usage(ScriptedTurn turn) => new()
    {
        ["prompt_tokens"] = turn.PromptTokens,
        ["completion_tokens"] = turn.CompletionTokens,
        ["total_tokens"] = turn.PromptTokens + turn.CompletionTokens,
        ["prompt_tokens_details"] = new JsonObject { ["cached_tokens"] = turn.CachedTokens },
    };

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}
