using System.Text.Json;
using System.Text.Json.Nodes;
using AgentHost.Core.Domain;
using Microsoft.Extensions.AI;

namespace AgentHost.Server.Responses;

/// <summary>
/// Responses items as the engine's neutral model messages: message parts as text, image and file contents, calls as
/// <see cref="FunctionCallContent"/> and outputs as <see cref="FunctionResultContent"/>. Consecutive items of one role
/// join one message, as providers want a turn's calls together and their results together.
/// </summary>
internal static class ResponseItemsToChat
{
    /// <param name="seal">Opens the <c>encrypted_content</c> of reasoning items, which go back to the model as they came from it.</param>
    public static List<ChatMessage> Convert(IEnumerable<JsonObject> items, ReasoningSeal seal)
    {
        var messages = new List<ChatMessage>();
        foreach (var item in items)
        {
            var (role, contents) = (string?)item["type"] == "reasoning" ? (ChatRole.Assistant, Reasoning(item, seal)) : ToContents(item);

            // A call AgentHost ran carries its result: the result follows as a tool message, as providers want it.
            var results = role == ChatRole.Assistant ? contents.OfType<FunctionResultContent>().ToList<AIContent>() : [];
            if (results.Count > 0)
            {
                Add(messages, ChatRole.Assistant, [.. contents.Except(results)]);
                Add(messages, ChatRole.Tool, results);
                continue;
            }

            Add(messages, role, contents);
        }

        return messages;
    }

    /// <summary>Adds contents as a message, joined to the last one when both are of one role (not user or system).</summary>
    private static void Add(List<ChatMessage> messages, ChatRole role, List<AIContent> contents)
    {
        if (contents.Count == 0)
        {
            return;
        }

        if (messages.Count > 0 && messages[^1].Role == role && role != ChatRole.User && role != ChatRole.System)
        {
            foreach (var content in contents)
            {
                messages[^1].Contents.Add(content);
            }
        }
        else
        {
            messages.Add(new ChatMessage(role, contents));
        }
    }

    private static (ChatRole Role, List<AIContent> Contents) ToContents(JsonObject item)
    {
        switch ((string?)item["type"] ?? "message")
        {
            case "message":
                var role = (string?)item["role"] switch
                {
                    "assistant" => ChatRole.Assistant,
                    "system" or "developer" => ChatRole.System,
                    _ => ChatRole.User,
                };
                return (role, [.. Parts(item["content"])]);
            case "function_call":
                return (ChatRole.Assistant, [new FunctionCallContent((string)item["call_id"]!, (string)item["name"]!, Arguments((string?)item["arguments"]))]);
            case "custom_tool_call":
                return (ChatRole.Assistant, [new FunctionCallContent((string)item["call_id"]!, (string)item["name"]!,
                    new Dictionary<string, object?> { ["input"] = (string?)item["input"] ?? string.Empty })]);
            case "function_call_output":
            case "custom_tool_call_output":
                return (ChatRole.Tool, [new FunctionResultContent((string)item["call_id"]!, OutputText(item["output"]))]);
            case "mcp_call":
                // A call AgentHost ran on an MCP server, as the model saw it: the tool under its offered name, and its output or error.
                var mcpCallId = (string)item["id"]!;
                var mcpName = Tools.Mcp.McpToolbox.OfferedName((string?)item["server_label"] ?? "mcp", (string?)item["name"] ?? "tool");
                var mcpOutput = (string?)item["output"] ?? (item["error"] is JsonObject error ? "Error: " + ((string?)error["message"] ?? error.ToJsonString()) : item["error"] is { } text ? "Error: " + text : string.Empty);
                return (ChatRole.Assistant, [new FunctionCallContent(mcpCallId, mcpName, Arguments((string?)item["arguments"])), new FunctionResultContent(mcpCallId, mcpOutput)]);
            case "file_search_call":
                var callId = (string)item["id"]!;
                var queries = item["queries"]?.DeepClone() ?? new JsonArray();
                var results = item["results"] is JsonArray list
                    ? string.Join("\n\n", list.OfType<JsonObject>().Select(r => $"[{(string?)r["filename"]}] {(string?)r["text"]}"))
                    : "(the results of this search are not kept)";
                return (ChatRole.Assistant, [new FunctionCallContent(callId, "file_search", new Dictionary<string, object?> { ["queries"] = queries.ToJsonString() }),
                    new FunctionResultContent(callId, results)]);
            case "code_interpreter_call":
                var codeCallId = (string)item["id"]!;
                var logs = item["outputs"] is JsonArray outputs
                    ? string.Concat(outputs.OfType<JsonObject>().Select(o => (string?)o["logs"] ?? ((string?)o["type"] == "image" ? "[image shown to the user]\n" : string.Empty)))
                    : "(the output of this call is not kept)";
                return (ChatRole.Assistant, [new FunctionCallContent(codeCallId, "code_interpreter", new Dictionary<string, object?> { ["code"] = (string?)item["code"] ?? string.Empty }),
                    new FunctionResultContent(codeCallId, logs.Length == 0 ? "(no output)" : logs)]);
            case "compaction":
                // A summary /v1/responses/compact made of the turns it replaces.
                return (ChatRole.Assistant, [new TextContent($"[Summary of the earlier conversation]\n{(string?)item["encrypted_content"]}")]);
            default:
                // Reasoning and other passed-back items carry nothing a model of another provider can read.
                return (ChatRole.Assistant, []);
        }
    }

    /// <summary>
    /// A reasoning item's parts (text with the provider's payload) from its <c>encrypted_content</c>; none when it has none
    /// (the provider layer sends each model only the reasoning it takes).
    /// </summary>
    private static List<AIContent> Reasoning(JsonObject item, ReasoningSeal seal) =>
        (string?)item["encrypted_content"] is { } sealedContent && seal.Open(sealedContent) is { } parts ? [.. parts.Select(ReasoningPart.ToContent)] : [];

    private static IEnumerable<AIContent> Parts(JsonNode? content)
    {
        if (content is JsonValue value && value.TryGetValue<string>(out var text))
        {
            yield return new TextContent(text);
            yield break;
        }

        foreach (var part in (content as JsonArray ?? []).OfType<JsonObject>())
        {
            switch ((string?)part["type"])
            {
                case "input_text" or "output_text" or "text":
                    yield return new TextContent((string?)part["text"] ?? string.Empty);
                    break;
                case "refusal":
                    yield return new TextContent((string?)part["refusal"] ?? string.Empty);
                    break;
                case "input_image" when (string?)part["image_url"] is { } url && Uri.TryCreate(url, UriKind.Absolute, out var uri):
                    yield return uri.Scheme == "data" ? new DataContent(url) : new UriContent(uri, "image/*");
                    break;
                case "input_image":
                    yield return new TextContent($"[image file {(string?)part["file_id"]}]");
                    break;
                case "input_file" when (string?)part["file_data"] is { } data:
                    yield return FileData(data, (string?)part["filename"]);
                    break;
                case "input_file" when (string?)part["file_url"] is { } fileUrl && Uri.TryCreate(fileUrl, UriKind.Absolute, out var fileUri):
                    yield return new UriContent(fileUri, "application/octet-stream");
                    break;
                case "input_file":
                    yield return new TextContent($"[file {(string?)part["file_id"]}{((string?)part["filename"] is { } name ? $" ({name})" : string.Empty)}]");
                    break;
            }
        }
    }

    /// <summary>A file given inline: a data URL as is, or bare base64 typed by its name's extension.</summary>
    private static AIContent FileData(string data, string? filename)
    {
        if (data.StartsWith("data:", StringComparison.Ordinal))
        {
            return new DataContent(data) { Name = filename };
        }

        var mediaType = Path.GetExtension(filename ?? string.Empty).ToLowerInvariant() switch
        {
            ".pdf" => "application/pdf",
            ".png" => "image/png",
            ".jpg" or ".jpeg" => "image/jpeg",
            ".txt" or ".md" => "text/plain",
            _ => "application/octet-stream",
        };
        return new DataContent(System.Convert.FromBase64String(data), mediaType) { Name = filename };
    }

    private static string OutputText(JsonNode? output) => output switch
    {
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        JsonArray parts => string.Concat(parts.OfType<JsonObject>().Select(p => (string?)p["text"] ?? string.Empty)),
        _ => output?.ToJsonString() ?? string.Empty,
    };

    private static Dictionary<string, object?> Arguments(string? arguments)
    {
        try
        {
            using var document = JsonDocument.Parse(string.IsNullOrWhiteSpace(arguments) ? "{}" : arguments);
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? document.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone())
                : [];
        }
        catch (JsonException)
        {
            return [];
        }
    }
}
