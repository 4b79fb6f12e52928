using System.Text.Json;
using Microsoft.Extensions.AI;

namespace AgentHost.Core.Tests.Support;

/// <summary>One scripted model turn: the streamed updates it yields, optionally held until a gate opens, or an exception.</summary>
public sealed record ScriptedReply
{
    public IReadOnlyList<ChatResponseUpdate> Updates { get; init; } = [];

    /// <summary>When set, the reply yields its first update and then waits for this before the rest.</summary>
    public TaskCompletionSource? Gate { get; init; }

    public Exception? Failure { get; init; }

    public static ScriptedReply Text(params string[] chunks) => new()
    {
        Updates = [.. chunks.Select(c => new ChatResponseUpdate(ChatRole.Assistant, c)), Finish(ChatFinishReason.Stop), Usage(20, 7)],
    };

    public static ScriptedReply Truncated(string text) => new()
    {
        Updates = [new ChatResponseUpdate(ChatRole.Assistant, text), Finish(ChatFinishReason.Length), Usage(20, 7)],
    };

    public static ScriptedReply Calls(params (string Id, string Name, string Arguments)[] calls) => new()
    {
        Updates =
        [
            new ChatResponseUpdate(ChatRole.Assistant, [.. calls.Select(c => (AIContent)new FunctionCallContent(c.Id, c.Name,
                JsonSerializer.Deserialize<Dictionary<string, object?>>(c.Arguments)))]),
            Finish(ChatFinishReason.ToolCalls),
            Usage(30, 9),
        ],
    };

    public static ScriptedReply Fails(Exception failure) => new() { Failure = failure };

    private static ChatResponseUpdate Finish(ChatFinishReason reason) => new() { Role = ChatRole.Assistant, FinishReason = reason, ModelId = "scripted-model" };

    private static ChatResponseUpdate Usage(int input, int output) =>
        new(ChatRole.Assistant, [new UsageContent(new UsageDetails { InputTokenCount = input, OutputTokenCount = output, TotalTokenCount = input + output })]);
}
