using System.Text.Json;
using System.Text.Json.Nodes;
using AgentHost.Core.Observability;
using Microsoft.Extensions.AI;

namespace AgentHost.Observability.Tracing;

/// <summary>The JSON a trace keeps of a model call: what was sent (messages, tools, options) and what came back.</summary>
internal static class PromptSnapshot
{
    public static JsonElement Request(string model, IReadOnlyList<ChatMessage> messages, ChatOptions? options, int? estimatedTokens)
    {
        var sent = new JsonArray();
        foreach (var message in messages)
        {
            var contents = new JsonArray();
            foreach (var content in message.Contents)
            {
                contents.Add(Content(content));
            }

            sent.Add(new JsonObject { ["role"] = message.Role.Value, ["content"] = contents });
        }

        var tools = new JsonArray();
        foreach (var tool in options?.Tools ?? [])
        {
            var entry = new JsonObject { ["name"] = tool.Name, ["description"] = tool.Description };
            if (tool is AIFunctionDeclaration function)
            {
                entry["parameters"] = JsonNode.Parse(function.JsonSchema.GetRawText());
            }

            tools.Add(entry);
        }

        var request = new JsonObject
        {
            ["model"] = model,
            ["messages"] = sent,
            ["tools"] = tools,
            ["estimated_prompt_tokens"] = estimatedTokens,
            ["max_output_tokens"] = options?.MaxOutputTokens,
            ["temperature"] = options?.Temperature,
            ["top_p"] = options?.TopP,
            ["tool_mode"] = options?.ToolMode switch
            {
                null => null,
                NoneChatToolMode => "none",
                RequiredChatToolMode { RequiredFunctionName: { } name } => "required:" + name,
                RequiredChatToolMode => "required",
                _ => "auto",
            },
        };
        return ToElement(request);
    }

    public static JsonElement Response(string? model, string text, IReadOnlyList<FunctionCallContent> toolCalls, string? finishReason)
    {
        var calls = new JsonArray();
        foreach (var call in toolCalls)
        {
            calls.Add(new JsonObject { ["id"] = call.CallId, ["name"] = call.Name, ["arguments"] = Arguments(call.Arguments) });
        }

        return ToElement(new JsonObject
        {
            ["model"] = model,
            ["text"] = text,
            ["tool_calls"] = calls,
            ["finish_reason"] = finishReason,
        });
    }

    private static JsonObject Content(AIContent content) => content switch
    {
        TextContent text => new JsonObject { ["type"] = "text", ["text"] = text.Text },
        TextReasoningContent reasoning => new JsonObject { ["type"] = "reasoning", ["text"] = reasoning.Text },
        FunctionCallContent call => new JsonObject { ["type"] = "tool_call", ["id"] = call.CallId, ["name"] = call.Name, ["arguments"] = Arguments(call.Arguments) },
        FunctionResultContent result => new JsonObject { ["type"] = "tool_result", ["id"] = result.CallId, ["output"] = result.Result?.ToString() },
        _ => new JsonObject { ["type"] = content.GetType().Name },
    };

    private static string Arguments(IDictionary<string, object?>? arguments) =>
        JsonSerializer.Serialize(arguments ?? new Dictionary<string, object?>(), AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(IDictionary<string, object?>)));

    private static JsonElement ToElement(JsonNode node)
    {
        using var document = JsonDocument.Parse(node.ToJsonString());
        return document.RootElement.Clone();
    }
}
