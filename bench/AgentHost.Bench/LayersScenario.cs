using AgentHost.Core.Engine;
using AgentHost.Core.Models;
using AgentHost.Core.Storage;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace AgentHost.Bench;

/// <summary>
/// The same load on thinner slices of the stack, so the cost of a run can be split: the HTTP floor, the
/// provider (OpenAI SDK) alone, and one API request that does a single SQLite write or read.
/// </summary>
internal sealed class LayersScenario(BenchHost host, string assistantId, BenchOptions options)
{
    private static readonly ChatMessage[] Prompt = [new(ChatRole.User, "Say hello.")];

    public async Task<IReadOnlyList<LoadRunner.Result>> RunAsync() =>
    [
        await LoadRunner.RunAsync("upstream direct: HttpClient → instant upstream, SSE to [DONE]", options, UpstreamDirectAsync),
        await LoadRunner.RunAsync("provider only: IModelRouter client (OpenAI SDK) → upstream", options, ProviderAsync),
        await LoadRunner.RunAsync("POST /v1/threads with 1 message (1 SQLite write)", options, CreateThreadAsync),
        await LoadRunner.RunAsync("GET /v1/assistants/{id} (1 SQLite read)", options, GetAssistantAsync),
        await LoadRunner.RunAsync("store only: CreateThreadAsync (1 write transaction, no HTTP)", options, StoreWriteAsync),
        await LoadRunner.RunAsync("store only: GetAssistantAsync (1 read, no HTTP)", options, StoreReadAsync),
    ];

    private async Task<bool> UpstreamDirectAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, host.Upstream.BaseUrl + "/v1/chat/completions") { Content = BenchHost.Json(Bodies.ChatCompletion) };
        using var response = await host.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        using var chunks = await SseReader.OpenAsync(response, cancellationToken);
        return response.IsSuccessStatusCode && await chunks.ReadUntilLineAsync("data: [DONE]", cancellationToken);
    }

    private async Task<bool> ProviderAsync(CancellationToken cancellationToken)
    {
        var client = host.Services.GetRequiredService<IModelRouter>().GetClient("gpt-4o");
        var sawUsage = false;
        await foreach (var update in client.GetStreamingResponseAsync(Prompt, new ChatOptions(), cancellationToken))
        {
            sawUsage |= update.Contents.OfType<UsageContent>().Any();
        }

        return sawUsage;
    }

    private async Task<bool> StoreWriteAsync(CancellationToken cancellationToken)
    {
        var thread = host.Services.GetRequiredService<RunService>().NewThreadOf(new NewThread([], null, null));
        await host.Services.GetRequiredService<IAgentStore>().CreateThreadAsync(thread, [], cancellationToken);
        return true;
    }

    private async Task<bool> StoreReadAsync(CancellationToken cancellationToken) =>
        await host.Services.GetRequiredService<IAgentStore>().GetAssistantAsync(assistantId, cancellationToken) is not null;

    private async Task<bool> CreateThreadAsync(CancellationToken cancellationToken)
    {
        using var response = await host.Client.PostAsync(host.BaseUrl + "/v1/threads", BenchHost.Json(Bodies.Thread), cancellationToken);
        await response.Content.CopyToAsync(Stream.Null, cancellationToken);
        return response.IsSuccessStatusCode;
    }

    private async Task<bool> GetAssistantAsync(CancellationToken cancellationToken)
    {
        using var response = await host.Client.GetAsync($"{host.BaseUrl}/v1/assistants/{assistantId}", cancellationToken);
        await response.Content.CopyToAsync(Stream.Null, cancellationToken);
        return response.IsSuccessStatusCode;
    }
}
