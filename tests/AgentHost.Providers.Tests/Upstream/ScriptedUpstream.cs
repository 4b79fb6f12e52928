using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace AgentHost.Providers.Tests.Upstream;

/// <summary>
/// A real HTTP server on loopback standing in for Anthropic, OpenAI or a compatible server: it answers each
/// request, whatever its path, with the next scripted response and records what it was sent.
/// </summary>
internal sealed class ScriptedUpstream : IAsyncDisposable
{
    private readonly ConcurrentQueue<ScriptedResponse> _script = new();
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private LoopbackServer? _server;

    /// <summary>Without a path: Anthropic's SDK adds <c>/v1/messages</c>.</summary>
    public string BaseUrl => _server!.Origin;

    /// <summary>With <c>/v1</c>, as OpenAI-style clients expect.</summary>
    public string OpenAIBaseUrl => BaseUrl + "/v1";

    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    public static async Task<ScriptedUpstream> StartAsync()
    {
        var upstream = new ScriptedUpstream();
        upstream._server = await LoopbackServer.StartAsync(app => app.Run(upstream.HandleAsync));
        return upstream;
    }

    public void Enqueue(params ScriptedResponse[] responses)
    {
        foreach (var response in responses)
        {
            _script.Enqueue(response);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        var body = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        _requests.Enqueue(new RecordedRequest(context.Request.Path, headers, body as JsonObject ?? []));

        // A 400 is never retried, so a test that sends more than it scripted fails fast and says why.
        var response = _script.TryDequeue(out var next)
            ? next
            : ScriptedResponses.Json(400, new JsonObject
            {
                ["error"] = new JsonObject
                {
                    ["type"] = "invalid_request_error",
                    ["message"] = $"The scripted upstream has no response left for {context.Request.Path}.",
                },
            });
        await response(context);
    }
}
