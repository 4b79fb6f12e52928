using System.Text.Json;
using AgentHost.Core.Domain;
using AgentHost.Core.Tokens;
using Microsoft.Extensions.AI;

namespace AgentHost.Core.Engine;

/// <summary>
/// What messages cost in a prompt, as truncation counts them: a fixed overhead per message, its text, tool calls and
/// results in tokens, and a flat figure per image. A thread message's count depends only on the message — the encoding
/// is the same for every model (<see cref="TiktokenCounter"/>) — so the stores count it once, when they write it, and
/// keep it under <see cref="Key"/>; a run reading a long thread then counts nothing again.
/// </summary>
public sealed class PromptTokens(ITokenCounter tokens)
{
    private const int PerMessageOverhead = 4;

    /// <summary>The version of the counting rules below: a change to them changes it, so counts stored before are recounted.</summary>
    private const int Rules = 1;

    /// <summary>Names the encoding and rules a stored count was made with; null when counts must not be stored.</summary>
    public string? Key { get; } = tokens.Encoding is { } encoding ? $"{encoding}/{Rules}" : null;

    /// <summary>The count of a thread message as the prompt builder sends it.</summary>
    public int Count(ThreadMessage message) => Count([PromptBuilder.ToChatMessage(message)]);

    /// <summary>The stored count when <paramref name="key"/> says it was made as this counter makes it; else the message counted now.</summary>
    public int CountOrReuse(ThreadMessage message, int? stored, string? key) =>
        stored is int count && Key is not null && key == Key ? count : Count(message);

    public int Count(IReadOnlyList<ChatMessage> messages)
    {
        var total = 0;
        foreach (var message in messages)
        {
            total += PerMessageOverhead;
            foreach (var content in message.Contents)
            {
                total += content switch
                {
                    TextContent text => tokens.CountTokens(text.Text),
                    FunctionCallContent call => tokens.CountTokens(call.Name) + tokens.CountTokens(JsonSerializer.Serialize(call.Arguments, EngineJsonContext.Default.DictionaryStringObject)),
                    FunctionResultContent result => tokens.CountTokens(result.Result?.ToString() ?? string.Empty),
                    UriContent or DataContent => 765, // a high-detail image tile budget, as OpenAI bills 1024x1024
                    _ => 0,
                };
            }
        }

        return total;
    }
}
