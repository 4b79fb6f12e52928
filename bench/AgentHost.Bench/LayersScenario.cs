using System.ClientModel;
using System.ClientModel.Primitives;
using AgentHost.Core.Engine;
using AgentHost.Core.Models;
using AgentHost.Core.Storage;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using OpenAI;
using OpenAI.Chat;
using ChatMessage = Microsoft.Extensions.AI.ChatMessage;

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
        await LoadRunner.RunAsync("OpenAI SDK ChatClient alone → upstream", options, SdkAsync),
        await LoadRunner.RunAsync("OpenAI SDK under Microsoft.Extensions.AI's IChatClient → upstream", options, SdkChatClientAsync),
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

    private OpenAI.Chat.ChatClient? sdk;
    private IChatClient? sdkChatClient;

    private OpenAI.Chat.ChatClient Sdk => sdk ??= new OpenAIClient(new ApiKeyCredential("bench"), new OpenAIClientOptions
    {
        Endpoint = new Uri(host.Upstream.BaseUrl + "/v1"),
        RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        Transport = new HttpClientPipelineTransport(host.Client),
    }).GetChatClient("gpt-4o");

    private async Task<bool> SdkAsync(CancellationToken cancellationToken)
    {
        var sawUsage = false;
        await foreach (var update in Sdk.CompleteChatStreamingAsync([new UserChatMessage("Say hello.")], new ChatCompletionOptions(), cancellationToken))
        {
            sawUsage |= update.Usage is not null;
        }

        return sawUsage;
    }

    private async Task<bool> SdkChatClientAsync(CancellationToken cancellationToken)
    {
        sdkChatClient ??= Sdk.AsIChatClient();
        var sawUsage = false;
        await foreach (var update in sdkChatClient.GetStreamingResponseAsync(Prompt, new ChatOptions(), cancellationToken))
        {
            sawUsage |= update.Contents.OfType<UsageContent>().Any();
        }

        return sawUsage;
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
