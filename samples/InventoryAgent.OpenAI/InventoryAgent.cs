using System.Text.Json;
using InventoryAgent.Anthropic;
using OpenAI.Chat;

namespace InventoryAgent.OpenAI;

/// <summary>
/// The same loop with Chat Completions: send the conversation with a <c>search_database</c> function, answer every
/// tool call with a tool message, and stop when the model finishes with <c>stop</c>.
/// </summary>
public static class InventoryAgent
{
    private static readonly ChatTool SearchDatabase = ChatTool.CreateFunctionTool(
        "search_database",
        "Searches the inventory database for items whose name contains the query words.",
        BinaryData.FromString("""{"type":"object","properties":{"query":{"type":"string","description":"Words to look for, e.g. 'blue widget'"}},"required":["query"]}"""));

    /// <summary>Runs the loop and returns the model's final answer; each step is written to <paramref name="log"/>.</summary>
    public static async Task<string> RunAsync(ChatClient client, string question, TextWriter log, int maxTurns = 10)
    {
        List<ChatMessage> messages =
        [
            new SystemChatMessage("You answer stock questions. Use search_database for every item asked about."),
            new UserChatMessage(question),
        ];
        var options = new ChatCompletionOptions { Tools = { SearchDatabase } };
        for (var turn = 0; turn < maxTurns; turn++)
        {
            ChatCompletion completion = await client.CompleteChatAsync(messages, options);
            if (completion.FinishReason != ChatFinishReason.ToolCalls)
            {
                var answer = string.Concat(completion.Content.Select(p => p.Text));
                log.WriteLine($"[{completion.FinishReason}] {answer}");
                return answer;
            }

            messages.Add(new AssistantChatMessage(completion));
            foreach (var call in completion.ToolCalls)
            {
                messages.Add(new ToolChatMessage(call.Id, Run(call, log)));
            }
        }

        throw new InvalidOperationException($"The model was still calling tools after {maxTurns} turns.");
    }

    private static string Run(ChatToolCall call, TextWriter log)
    {
        using var arguments = JsonDocument.Parse(call.FunctionArguments);
        if (call.FunctionName != "search_database" || !arguments.RootElement.TryGetProperty("query", out var query) || query.ValueKind != JsonValueKind.String)
        {
            log.WriteLine($"tool {call.FunctionName} refused: unknown tool or missing query");
            return "Error: unknown tool or missing 'query'.";
        }

        var rows = InventoryDatabase.Search(query.GetString()!);
        log.WriteLine($"search_database(\"{query.GetString()}\") -> {rows.Replace('\n', ';')}");
        return rows;
    }
}
