using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace AgentHost.Core.Tests.Support;

/// <summary>
/// An <see cref="IChatClient"/> that answers each call with the next scripted reply and records what it was asked,
/// so the run engine can be driven turn by turn without a provider.
/// </summary>
public sealed class ScriptedChatClient : IChatClient
{
    private readonly ConcurrentQueue<ScriptedReply> replies = new();

    /// <summary>The messages and options of every call, in order.</summary>
    public ConcurrentQueue<(IReadOnlyList<ChatMessage> Messages, ChatOptions? Options)> Calls { get; } = new();

    public void Enqueue(params ScriptedReply[] scripted)
    {
        foreach (var reply in scripted)
        {
            replies.Enqueue(reply);
        }
    }

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        await GetStreamingResponseAsync(messages, options, cancellationToken).ToChatResponseAsync(cancellationToken);

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Calls.Enqueue(([.. messages], options));
        if (!replies.TryDequeue(out var reply))
        {
            throw new InvalidOperationException($"The scripted model was called {Calls.Count} times but only had replies for {Calls.Count - 1}.");
        }

        if (reply.Failure is { } failure)
        {
            throw failure;
        }

        for (var i = 0; i < reply.Updates.Count; i++)
        {
            yield return reply.Updates[i];
            if (i == 0 && reply.Gate is { } gate)
            {
                await gate.Task.WaitAsync(cancellationToken);
            }
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }
}
