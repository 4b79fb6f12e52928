using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace AgentHost.Bench;

/// <summary>A model that answers at once: three text deltas, a finish and usage, precomputed — so only the engine is timed.</summary>
internal sealed class InstantChatClient : IChatClient
{
    private static readonly ChatResponseUpdate[] Answer =
    [
        new(ChatRole.Assistant, "Hello"), new(ChatRole.Assistant, " from the"), new(ChatRole.Assistant, " instant model."),
        new() { Role = ChatRole.Assistant, FinishReason = ChatFinishReason.Stop, ModelId = "instant" },
        new(ChatRole.Assistant, [new UsageContent(new UsageDetails { InputTokenCount = 20, OutputTokenCount = 5, TotalTokenCount = 25 })]),
    ];

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        GetStreamingResponseAsync(messages, options, cancellationToken).ToChatResponseAsync(cancellationToken);

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.CompletedTask;
        foreach (var update in Answer)
        {
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
