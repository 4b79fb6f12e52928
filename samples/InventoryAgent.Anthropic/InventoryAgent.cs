using System.Text.Json;
using Anthropic;
using Anthropic.Models.Messages;

namespace InventoryAgent.Anthropic;

/// <summary>
/// The agent loop from Anthropic's tool-use guide: send the conversation with a <c>search_database</c> tool, run every
/// <c>tool_use</c> the model asks for, send the results back, and stop at <c>end_turn</c>.
/// </summary>
public static class InventoryAgent
{
    private static readonly Tool SearchDatabase = new()
    {
        Name = "search_database",
        Description = "Searches the inventory database for items whose name contains the query words.",
        InputSchema = new InputSchema
        {
            Properties = new Dictionary<string, JsonElement>
            {
                ["query"] = JsonSerializer.SerializeToElement(new { type = "string", description = "Words to look for, e.g. 'blue widget'" }),
            },
            Required = ["query"],
        },
    };

    /// <summary>Runs the loop and returns the model's final answer; each step is written to <paramref name="log"/>.</summary>
    public static async Task<string> RunAsync(IAnthropicClient client, string model, string question, TextWriter log, int maxTurns = 10)
    {
        List<MessageParam> messages = [new UserMessageParam(question)];
        for (var turn = 0; turn < maxTurns; turn++)
        {
            var response = await client.Messages.Create(new MessageCreateParams
            {
                Model = model,
                MaxTokens = 1024,
                System = "You answer stock questions. Use search_database for every item asked about.",
                Tools = [SearchDatabase],
                Messages = messages,
            });

            var assistant = new List<ContentBlockParam>();
            var results = new List<ContentBlockParam>();
            foreach (var block in response.Content)
            {
                if (block.TryPickText(out var text))
                {
                    assistant.Add(new TextBlockParam { Text = text.Text });
                }
                else if (block.TryPickToolUse(out var toolUse))
                {
                    assistant.Add(new ToolUseBlockParam { ID = toolUse.ID, Name = toolUse.Name, Input = toolUse.Input });
                    results.Add(Run(toolUse, log));
                }
            }

            if (response.StopReason?.Value() != StopReason.ToolUse)
            {
                var answer = string.Concat(response.Content.Select(b => b.TryPickText(out var t) ? t.Text : ""));
                log.WriteLine($"[{response.StopReason?.Raw()}] {answer}");
                return answer;
            }

            messages.Add(new AssistantMessageParam(assistant));
            messages.Add(new UserMessageParam(results));
        }

        throw new InvalidOperationException($"The model was still calling tools after {maxTurns} turns.");
    }

    private static ToolResultBlockParam Run(ToolUseBlock toolUse, TextWriter log)
    {
        if (toolUse.Name != "search_database" || !toolUse.Input.TryGetValue("query", out var query) || query.ValueKind != JsonValueKind.String)
        {
            log.WriteLine($"tool {toolUse.Name} refused: unknown tool or missing query");
            return new ToolResultBlockParam(toolUse.ID) { Content = "Unknown tool or missing 'query'.", IsError = true };
        }

        var rows = InventoryDatabase.Search(query.GetString()!);
        log.WriteLine($"search_database(\"{query.GetString()}\") -> {rows.Replace('\n', ';')}");
        return new ToolResultBlockParam(toolUse.ID) { Content = rows };
    }
}
