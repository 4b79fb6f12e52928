using System.Text.Json;
using System.Text.Json.Nodes;
using AgentHost.Core.Models;
using AgentHost.Core.Tokens;
using Anthropic;
using Anthropic.Models.Messages;
using Microsoft.Extensions.AI;

namespace AgentHost.Server.Responses;

/// <summary>
/// <c>POST /v1/responses/input_tokens</c>'s count: a model served by an Anthropic upstream counts it itself
/// (<c>count_tokens</c>, with the conversation and tools in its shapes); any other model's input is estimated with
/// o200k (the tokenizer of OpenAI's current models): per message 3 tokens of framing, text and call arguments counted,
/// 765 tokens per image or file, the tools' JSON counted.
/// </summary>
internal sealed class ResponseTokenCounting(IModelRouter router, ITokenCounter tokens)
{
    private const int PerMessage = 3;
    private const int PerImage = 765;

    public async Task<long> CountAsync(string? model, IReadOnlyList<ChatMessage> messages, JsonElement? tools, CancellationToken cancellationToken)
    {
        if (model is not null && router.GetClient(model) is { } client && client.GetService<IAnthropicClient>() is { } anthropic
            && client.GetService<ChatClientMetadata>()?.DefaultModelId is { } upstreamModel)
        {
            var body = AnthropicBody(upstreamModel, messages, tools);
            var raw = body.ToDictionary(p => p.Key, p => JsonSerializer.SerializeToElement(p.Value, ResponsesJsonContext.Default.JsonNode!));
            try
            {
                return (await anthropic.Messages.CountTokens(MessageCountTokensParams.FromRawUnchecked(new Dictionary<string, JsonElement>(), new Dictionary<string, JsonElement>(), raw),
                    cancellationToken)).InputTokens;
            }
            catch (Exception e) when (e is Anthropic.Exceptions.AnthropicException && !cancellationToken.IsCancellationRequested)
            {
                throw new ModelCallException(Core.Domain.RunErrorCodes.ServerError, $"The anthropic model '{upstreamModel}' could not count tokens: {e.Message}", e);
            }
        }

        return Estimate(messages, tools);
    }

    private long Estimate(IReadOnlyList<ChatMessage> messages, JsonElement? tools)
    {
        var total = messages.Sum(m => PerMessage + m.Contents.Sum(c => c switch
        {
            TextContent text => tokens.CountTokens(text.Text),
            FunctionCallContent call => tokens.CountTokens(call.Name) + tokens.CountTokens(JsonSerializer.Serialize(call.Arguments, ResponsesJsonContext.Default.IDictionaryStringObject)),
            FunctionResultContent result => tokens.CountTokens(result.Result?.ToString() ?? string.Empty),
            DataContent or UriContent => PerImage,
            _ => 0,
        }));
        return total + (tools is { } list ? tokens.CountTokens(list.GetRawText()) : 0);
    }

    /// <summary>The conversation as an Anthropic <c>count_tokens</c> body: system text apart, tool results as user turns, turns of one role joined.</summary>
    private static JsonObject AnthropicBody(string model, IReadOnlyList<ChatMessage> messages, JsonElement? tools)
    {
        var system = string.Join("\n\n", messages.Where(m => m.Role == ChatRole.System).Select(m => m.Text));
        var turns = new JsonArray();
        foreach (var message in messages.Where(m => m.Role != ChatRole.System))
        {
            var role = message.Role == ChatRole.Assistant ? "assistant" : "user";
            var blocks = new JsonArray([.. message.Contents.Select(Block).OfType<JsonNode>()]);
            if (blocks.Count == 0)
            {
                continue;
            }

            if (turns.Count > 0 && (string?)turns[^1]!["role"] == role)
            {
                var content = (JsonArray)turns[^1]!["content"]!;
                foreach (var block in blocks.ToList())
                {
                    blocks.Remove(block);
                    content.Add(block);
                }
            }
            else
            {
                turns.Add(new JsonObject { ["role"] = role, ["content"] = blocks });
            }
        }

        var body = new JsonObject { ["model"] = model, ["messages"] = turns };
        if (system.Length > 0)
        {
            body["system"] = system;
        }

        var toolList = new JsonArray();
        foreach (var tool in tools is { ValueKind: JsonValueKind.Array } list ? list.EnumerateArray() : [])
        {
            var type = tool.TryGetProperty("type", out var t) ? t.GetString() : null;
            var name = type is "function" or "custom" && tool.TryGetProperty("name", out var n) ? n.GetString() : type;
            var schema = type == "function" && tool.TryGetProperty("parameters", out var p) && p.ValueKind == JsonValueKind.Object
                ? JsonNode.Parse(p.GetRawText())
                : type == "custom" ? JsonNode.Parse(ResponseToolReader.CustomToolSchema.GetRawText()) : new JsonObject { ["type"] = "object" };
            var declared = new JsonObject { ["name"] = name, ["input_schema"] = schema };
            if (tool.TryGetProperty("description", out var d) && d.ValueKind == JsonValueKind.String)
            {
                declared["description"] = d.GetString();
            }

            toolList.Add(declared);
        }

        if (toolList.Count > 0)
        {
            body["tools"] = toolList;
        }

        return body;
    }

    private static JsonObject? Block(AIContent content) => content switch
    {
        TextContent { Text.Length: > 0 } text => new JsonObject { ["type"] = "text", ["text"] = text.Text },
        DataContent data when data.HasTopLevelMediaType("image") => new JsonObject
        {
            ["type"] = "image",
            ["source"] = new JsonObject { ["type"] = "base64", ["media_type"] = data.MediaType, ["data"] = data.Base64Data.ToString() },
        },
        DataContent { MediaType: "application/pdf" } pdf => new JsonObject
        {
            ["type"] = "document",
            ["source"] = new JsonObject { ["type"] = "base64", ["media_type"] = "application/pdf", ["data"] = pdf.Base64Data.ToString() },
        },
        UriContent uri => new JsonObject
        {
            ["type"] = uri.HasTopLevelMediaType("image") ? "image" : "document",
            ["source"] = new JsonObject { ["type"] = "url", ["url"] = uri.Uri.ToString() },
        },
        FunctionCallContent call => new JsonObject
        {
            ["type"] = "tool_use",
            ["id"] = call.CallId,
            ["name"] = call.Name,
            ["input"] = JsonNode.Parse(JsonSerializer.Serialize(call.Arguments ?? new Dictionary<string, object?>(), ResponsesJsonContext.Default.IDictionaryStringObject)),
        },
        FunctionResultContent result => new JsonObject { ["type"] = "tool_result", ["tool_use_id"] = result.CallId, ["content"] = result.Result?.ToString() ?? string.Empty },
        _ => null,
    };
}
