using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace AgentHost.Observability.Tests.Support;

/// <summary>A provider stand-in below the observability layer: answers with the given updates and keeps the options it was sent.</summary>
internal sealed class ScriptedChatClient(params ChatResponseUpdate[] updates) : IChatClient
{
    public List<ChatOptions?> Received { get; } = [];

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Received.Add(options);
        return Task.FromResult(updates.ToChatResponse());
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Received.Add(options);
        foreach (var update in updates)
        {
            await Task.Yield();
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }

    /// <summary>Text in three parts, then usage as gpt-4o would report it.</summary>
    public static ScriptedChatClient Answering(string model, int inputTokens, int outputTokens) => new(
        new ChatResponseUpdate(ChatRole.Assistant, "Hello ") { ModelId = model },
        new ChatResponseUpdate(ChatRole.Assistant, "from the ") { ModelId = model },
        new ChatResponseUpdate(ChatRole.Assistant, "scripted provider.") { ModelId = model, FinishReason = ChatFinishReason.Stop },
        new ChatResponseUpdate { ModelId = model, Contents = [new UsageContent(new UsageDetails { InputTokenCount = inputTokens, OutputTokenCount = outputTokens })] });
}
