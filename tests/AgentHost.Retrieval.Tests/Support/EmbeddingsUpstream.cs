using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using AgentHost.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace AgentHost.Retrieval.Tests.Support;

/// <summary>
/// A real HTTP server speaking OpenAI's <c>POST /v1/embeddings</c> (float or base64 encoding). Its "model" hashes
/// each word (FNV-1a, the same in every process, unlike <c>string.GetHashCode</c>) into one of
/// <see cref="Dimensions"/> buckets, so texts sharing words get similar vectors. It records every request.
/// </summary>
internal sealed class EmbeddingsUpstream : IAsyncDisposable
{
    public const int Dimensions = 16;

    private readonly ConcurrentQueue<(string Path, string? Authorization, JsonObject Body)> requests = new();
    private LoopbackServer? server;

    /// <summary>With <c>/v1</c>, as OpenAI-style clients expect.</summary>
    public string BaseUrl => server!.Origin + "/v1";

    public IReadOnlyList<(string Path, string? Authorization, JsonObject Body)> Requests => [.. requests];

    public static async Task<EmbeddingsUpstream> StartAsync()
    {
        var upstream = new EmbeddingsUpstream();
        upstream.server = await LoopbackServer.StartAsync(app => app.Run(upstream.HandleAsync));
        return upstream;
    }

    public static float[] Embed(string text)
    {
        var vector = new float[Dimensions];
        foreach (var word in text.ToLowerInvariant().Split([' ', '.', ',', '?', '!'], StringSplitOptions.RemoveEmptyEntries))
        {
            vector[(int)(Fnv1a(word) % Dimensions)] += 1;
        }

        return vector;
    }

    private static uint Fnv1a(string word)
    {
        var hash = 2166136261u;
        foreach (var c in word)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return hash;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var body = (JsonObject)(await JsonNode.ParseAsync(context.Request.Body))!;
        requests.Enqueue((context.Request.Path, context.Request.Headers.Authorization.ToString(), body));
        if (context.Request.Path != "/v1/embeddings")
        {
            context.Response.StatusCode = 404;
            return;
        }

        var inputs = body["input"] is JsonArray array ? array.Select(i => i!.GetValue<string>()).ToArray() : [body["input"]!.GetValue<string>()];
        var base64 = body["encoding_format"]?.GetValue<string>() == "base64";
        var data = new JsonArray();
        for (var i = 0; i < inputs.Length; i++)
        {
            var vector = Embed(inputs[i]);
            JsonNode embedding = base64
                ? JsonValue.Create(Convert.ToBase64String(MemoryMarshal.AsBytes(vector.AsSpan())))
                : new JsonArray([.. vector.Select(v => (JsonNode)JsonValue.Create(v))]);
            data.Add(new JsonObject { ["object"] = "embedding", ["index"] = i, ["embedding"] = embedding });
        }

        var response = new JsonObject
        {
            ["object"] = "list",
            ["data"] = data,
            ["model"] = body["model"]!.GetValue<string>(),
            ["usage"] = new JsonObject { ["prompt_tokens"] = inputs.Length, ["total_tokens"] = inputs.Length },
        };
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(response.ToJsonString());
    }

    public async ValueTask DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }
}
